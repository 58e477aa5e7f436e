/** A background component with a start and a graceful stop (outbox relay, flow worker, feed pollers). */
export interface Component {
  name: string;
  start(): Promise<void> | void;
  stop(): Promise<void>;
}
