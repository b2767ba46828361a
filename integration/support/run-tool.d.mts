export function cacheRoot(): string;
export function runTool(cmd: string, args: readonly string[], timeoutMs: number, options?: import("node:child_process").SpawnOptions): Promise<string>;
