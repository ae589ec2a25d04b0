import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';

/** An S3-compatible server (s3rver) with the bodies bucket, persisting under `directory`. */
export class S3Local {
  private server: S3rver | undefined;

  constructor(
    readonly port: number,
    private readonly directory: string,
    private readonly bucketName: string,
  ) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    mkdirSync(this.directory, { recursive: true });
    const server = new S3rver({
      address: '127.0.0.1',
      port: this.port,
      directory: this.directory,
      silent: true,
      configureBuckets: [{ name: this.bucketName }],
    });
    await server.run();
    this.server = server;
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }
}
