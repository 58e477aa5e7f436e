import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import type { FaultInjector } from './fault-injector.js';

/** What a create route needs to lose its answer. */
export interface LostAnswerDeps {
  faults: FaultInjector;
  /** Keeps a socket whose answer is withheld (commit-then-timeout `hang`) until the client gives up or the sim closes. */
  holdSocket(socket: Socket): void;
}

/**
 * Rolls the commit-then-timeout fault after a create has committed: on a hit the answer is lost (the socket is
 * destroyed, or held unanswered in `hang` mode) and true is returned; the route must then not answer.
 */
export function loseAnswer(deps: LostAnswerDeps, request: FastifyRequest, reply: FastifyReply): boolean {
  if (!deps.faults.rollCommitThenTimeout()) return false;
  reply.hijack();
  if (deps.faults.current().commitThenTimeoutMode === 'hang') deps.holdSocket(request.raw.socket);
  else request.raw.socket.destroy();
  return true;
}
