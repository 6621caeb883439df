// The adaptive questionnaire: the API says which question comes next (branching on earlier answers), the app asks
// it, saves the answer, and shows progress — live from the subscription, which also sees answers given on another
// device.
import type { ApolloClient } from "@apollo/client";

import {
  AnswerQuestionDocument,
  AssessmentAnswersDocument,
  type AssessmentAnswersQuery,
  AssessmentProgressUpdatesDocument,
  ClaimAssessmentDocument,
  CompleteAssessmentDocument,
  type CompleteAssessmentMutation,
  type ProgressFieldsFragment,
  type QuestionFieldsFragment,
  StartAssessmentDocument,
} from "./__generated__/graphql.js";
import { required } from "./data.js";

export type Progress = ProgressFieldsFragment;
export type Question = QuestionFieldsFragment;

export interface Started {
  id: string;
  /** Only for anonymous assessments: keep it to resume elsewhere or to claim after signing in. */
  resumeToken: string | null;
  progress: Progress;
}

export async function startAssessment(client: ApolloClient): Promise<Started> {
  const { data } = await client.mutate({ mutation: StartAssessmentDocument });
  const started = required(data, "StartAssessment").startAssessment;
  return { id: started.assessment.id, resumeToken: started.resumeToken ?? null, progress: started.assessment.progress };
}

export async function answerQuestion(
  client: ApolloClient, assessmentId: string, questionId: string, value: unknown, resumeToken?: string | null,
): Promise<Progress> {
  const { data } = await client.mutate({
    mutation: AnswerQuestionDocument,
    variables: { assessmentId, questionId, value, resumeToken: resumeToken ?? null },
  });
  return required(data, "AnswerQuestion").answerQuestion.assessment.progress;
}

/** Answers whatever the API asks next until nothing is left; `answerFor` plays the person. */
export async function answerAll(
  client: ApolloClient, started: Started, answerFor: (question: Question) => unknown,
  afterEach?: (progress: Progress) => Promise<void> | void,
): Promise<Progress> {
  let progress = started.progress;
  while (progress.nextQuestion) {
    progress = await answerQuestion(client, started.id, progress.nextQuestion.id,
      answerFor(progress.nextQuestion), started.resumeToken);
    await afterEach?.(progress);
  }
  return progress;
}

export async function completeAssessment(
  client: ApolloClient, assessmentId: string, resumeToken?: string | null,
): Promise<CompleteAssessmentMutation["completeAssessment"]> {
  const { data } = await client.mutate({
    mutation: CompleteAssessmentDocument, variables: { assessmentId, resumeToken: resumeToken ?? null },
  });
  return required(data, "CompleteAssessment").completeAssessment;
}

export async function savedAnswers(
  client: ApolloClient, id: string, resumeToken?: string | null,
): Promise<AssessmentAnswersQuery["assessment"]> {
  const { data } = await client.query({
    query: AssessmentAnswersDocument, variables: { id, resumeToken: resumeToken ?? null }, fetchPolicy: "network-only",
  });
  return required(data, "AssessmentAnswers").assessment;
}

/** After signing up: the anonymous assessment becomes the person's, and its resume token stops working. */
export async function claimAssessment(client: ApolloClient, id: string, resumeToken: string): Promise<void> {
  const { data } = await client.mutate({ mutation: ClaimAssessmentDocument, variables: { id, resumeToken } });
  if (required(data, "ClaimAssessment").claimAssessment.anonymous) throw new Error("the assessment was not claimed");
}

/** The progress bar's feed: every update the subscription delivered, and a way to wait for one. */
export class ProgressFeed {
  readonly updates: Progress[] = [];
  readonly errors: unknown[] = [];
  private waiters: Array<{ test: (progress: Progress) => boolean; resolve: (progress: Progress) => void }> = [];
  private readonly subscription: { unsubscribe(): void };

  constructor(client: ApolloClient, assessmentId: string, resumeToken?: string | null) {
    this.subscription = client
      .subscribe({ query: AssessmentProgressUpdatesDocument,
        variables: { assessmentId, resumeToken: resumeToken ?? null } })
      .subscribe({
        next: ({ data, error }) => {
          if (error) this.errors.push(error);
          if (data) this.push(data.assessmentProgress);
        },
        error: (error: unknown) => this.errors.push(error),
      });
  }

  get latest(): Progress | undefined {
    return this.updates.at(-1);
  }

  /** Resolves with the first update (already received or to come) that passes `test`. */
  until(test: (progress: Progress) => boolean, timeoutMs = 15_000): Promise<Progress> {
    const seen = this.updates.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(
        `no matching progress within ${timeoutMs} ms; got revisions ${this.updates.map((p) => p.revision)}` +
        ` and errors ${JSON.stringify(this.errors)}`)), timeoutMs);
      this.waiters.push({ test, resolve: (progress) => { clearTimeout(timer); resolve(progress); } });
    });
  }

  stop(): void {
    this.subscription.unsubscribe();
  }

  private push(progress: Progress): void {
    this.updates.push(progress);
    const ready = this.waiters.filter((waiter) => waiter.test(progress));
    this.waiters = this.waiters.filter((waiter) => !waiter.test(progress));
    for (const waiter of ready) waiter.resolve(progress);
  }
}
