import { execFile } from 'node:child_process';

/** DynamoDB Local 3.x is built for Java 17. */
const MINIMUM_JAVA_MAJOR = 17;

/**
 * Fails with one line a user can act on when `java` is missing or too old, before anything is
 * started: otherwise DynamoDB Local dies with a spawn error or a JVM class-version stack trace.
 */
export async function requireJava17(): Promise<void> {
  const versionText = await javaVersionText();
  const major = javaMajorVersion(versionText);
  // A JVM whose banner we cannot read is given the benefit of the doubt; DynamoDB Local's own
  // start then reports what is wrong.
  if (major !== undefined && major < MINIMUM_JAVA_MAJOR) {
    throw new Error(
      `Java ${MINIMUM_JAVA_MAJOR} or later is needed for DynamoDB Local; java on PATH is version ${major} (${versionText.split('\n')[0]!.trim()})`,
    );
  }
}

/** The major version in `java -version` output: `"17.0.15"` is 17, the old `"1.8.0_392"` is 8. */
export function javaMajorVersion(versionText: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionText);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

function javaVersionText(): Promise<string> {
  return new Promise((resolve, reject) => {
    // `java -version` writes its banner to stderr.
    execFile('java', ['-version'], { timeout: 30_000 }, (error, stdout, stderr) => {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
        reject(new Error(`Java ${MINIMUM_JAVA_MAJOR} or later is needed for DynamoDB Local; java was not found on PATH`));
      } else if (error) {
        reject(
          new Error(
            `Java ${MINIMUM_JAVA_MAJOR} or later is needed for DynamoDB Local; \`java -version\` failed: ${(stderr || error.message).trim().split('\n')[0]}`,
          ),
        );
      } else {
        resolve(`${stderr}${stdout}`);
      }
    });
  });
}
