/** Runs the `streamhouse` command in-process (main.ts's runCli) and collects what it printed. */
import { runCli } from "@streamhouse/cli";

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export async function cli(...argv: string[]): Promise<CliResult> {
  let out = "";
  let err = "";
  const code = await runCli(
    argv,
    {
      write: (t) => {
        out += t;
      },
    },
    {
      write: (t) => {
        err += t;
      },
    },
  );
  return { code, out, err };
}
