import { PermanentError, describeError, type FlowStepRecord } from '@tradelane/core';

/** Why a step gave up: a permanent error, or retries exhausted. */
export type StepFailureReason = 'permanent' | 'exhausted';

/**
 * What flow code sees when a step failed for good. Left uncaught, it fails the run and starts compensation; after a
 * restart the same error is raised again from the checkpoint.
 */
export class FlowStepFailedError extends PermanentError {
  /** The step's checkpoint key. */
  readonly stepKey: string;
  readonly stepId: string;
  readonly attempts: number;
  readonly reason: StepFailureReason;
  constructor(step: Pick<FlowStepRecord, 'stepKey' | 'stepId' | 'attempts' | 'error'>, reason: StepFailureReason, cause?: unknown) {
    const error = step.error ?? (cause === undefined ? 'unknown error' : describeError(cause));
    super('TL_FLOW_STEP_FAILED', `step ${step.stepKey} failed after ${step.attempts} attempt(s) (${reason}): ${error}`, {
      stepKey: step.stepKey,
      stepId: step.stepId,
      attempts: step.attempts,
      reason,
      error,
    }, { cause });
    this.stepKey = step.stepKey;
    this.stepId = step.stepId;
    this.attempts = step.attempts;
    this.reason = reason;
  }
}
