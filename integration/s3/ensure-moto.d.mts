// Types of ensure-moto.mjs (plain JavaScript so that it runs as a script on Node 20).

export interface MotoInstall {
  /** The venv's python; start moto with `python -m …`. */
  readonly python: string;
  readonly venv: string;
  readonly version: string;
}

export declare const MOTO_VERSION: string;

export declare function ensureMoto(options?: { readonly log?: (line: string) => void }): Promise<MotoInstall>;
