/** An error line for a view; announced to screen readers when it appears. */
export function ErrorMessage({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p role="alert" className="error-text">
      {text}
    </p>
  );
}
