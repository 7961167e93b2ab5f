import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

/**
 * The packaging configuration the Windows workflow runs: valid YAML, auto-update published to
 * GitHub Releases, signing secrets only ever taken from the repository's secrets.
 */

const read = (path: string): Record<string, unknown> => load(readFileSync(join(process.cwd(), path), 'utf8')) as Record<string, unknown>;

interface Step {
  name?: string;
  run?: string;
  env?: Record<string, string>;
}

describe('release configuration', () => {
  it('publishes to GitHub Releases, where electron-updater looks for updates', () => {
    expect(read('electron-builder.yml').publish).toEqual({ provider: 'github', releaseType: 'release' });
  });

  it("leaves the CLI's code cache of the build machine out of the package", () => {
    expect(read('electron-builder.yml').files).toEqual(expect.arrayContaining(['dist/**', '!dist/cli/code-cache/**']));
  });

  it('packages in the Windows workflow with signing secrets from the environment only', () => {
    const workflow = read('.github/workflows/windows.yml') as { jobs: Record<string, { steps: Step[] }> };
    const steps = workflow.jobs['test-and-package']!.steps;
    const pack = steps.find((step) => step.run?.includes('electron-builder'))!;
    expect(pack.env).toMatchObject({ CSC_LINK: '${{ secrets.WINDOWS_CSC_LINK }}', CSC_KEY_PASSWORD: '${{ secrets.WINDOWS_CSC_KEY_PASSWORD }}' });
    for (const [name, value] of Object.entries(pack.env ?? {})) expect(value, name).toMatch(/^\$\{\{ .*secrets\.[A-Z_]+.* \}\}$/);
    // Publishing only from a version tag; every other build just packages.
    expect(pack.env?.GH_TOKEN).toContain("startsWith(github.ref, 'refs/tags/v')");
    expect(pack.run).toContain("'never'");
  });

  it('runs the packaged app with --self-test after packaging and uploads its report even when it fails', () => {
    const workflow = read('.github/workflows/windows.yml') as { jobs: Record<string, { steps: (Step & { if?: string; with?: Record<string, string> })[] }> };
    const steps = workflow.jobs['test-and-package']!.steps;
    const packIndex = steps.findIndex((step) => step.run?.includes('electron-builder'));
    const selfTestIndex = steps.findIndex((step) => step.run?.includes('--self-test'));
    expect(selfTestIndex).toBeGreaterThan(packIndex);
    expect(steps[selfTestIndex]!.run).toContain('exit $app.ExitCode');
    const upload = steps.find((step) => step.with?.path === 'self-test.txt');
    expect(upload?.if).toBe('always()');
  });

  it('runs the same self-test on the packaged Linux app under xvfb, after packaging, and uploads its report', () => {
    const workflow = read('.github/workflows/windows.yml') as { jobs: Record<string, { steps: (Step & { if?: string; with?: Record<string, string> })[] }> };
    const steps = workflow.jobs['self-test-linux']!.steps;
    const packIndex = steps.findIndex((step) => step.run?.includes('electron-builder --linux dir'));
    const selfTest = steps.findIndex((step) => step.run?.includes('xvfb-run'));
    expect(packIndex).toBeGreaterThan(-1);
    expect(selfTest).toBeGreaterThan(packIndex);
    // The executable the step starts is the one electron-builder names.
    const linux = read('electron-builder.yml').linux as { executableName: string };
    expect(steps[selfTest]!.run).toContain(`out/linux-unpacked/${linux.executableName} --no-sandbox --self-test`);
    expect(steps[selfTest]!.run).toContain('exit $code');
    expect(steps.find((step) => step.with?.path === 'self-test.txt')?.if).toBe('always()');
  });
});
