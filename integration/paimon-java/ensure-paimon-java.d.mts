// Types of ensure-paimon-java.mjs (plain JavaScript so that it runs as a script on Node 20).

export interface PaimonJavaInstall {
  /** The `java` launcher (STREAMHOUSE_JAVA_HOME/bin/java, else `java` on PATH). */
  readonly java: string;
  /** Our compiled classes first, then the jars, joined with ":". */
  readonly classpath: string;
  readonly mainClass: string;
  /** Maven coordinates of the Paimon artifact, "group:artifact:version". */
  readonly paimon: string;
  /** The "paimon-java" entry of integration/versions.json (comment keys removed). */
  readonly versions: Readonly<Record<string, string>>;
}

export declare const MAIN_CLASS: string;

export declare function paimonJavaVersions(): Record<string, string>;

export declare function ensurePaimonJavaInstall(options?: { readonly log?: (line: string) => void }): Promise<PaimonJavaInstall>;
