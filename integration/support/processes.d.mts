import type { ChildProcess } from "node:child_process";
export declare function killGroup(child: ChildProcess, signal: NodeJS.Signals): void;
export declare function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean>;
