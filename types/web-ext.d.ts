// The parts of web-ext's programmatic API that build.mjs uses (web-ext ships no types).
declare module 'web-ext' {
  interface BuildParams {
    sourceDir: string;
    artifactsDir: string;
    filename?: string;
    overwriteDest?: boolean;
  }
  export const cmd: {
    build(params: BuildParams, options?: { shouldExitProgram?: boolean }): Promise<{ extensionPath: string }>;
  };
}
