/** The one function the release-config test uses (js-yaml ships no types; its @types package is not installed). */
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
