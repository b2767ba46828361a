export declare const COMPLETE_MARKER: string;
export declare function buildOnce(target: string, build: (tmp: string) => Promise<string> | string, options?: { readonly createDir?: boolean }): Promise<boolean>;
