// The roadmap screen: plan a program from a start date, then ask for the PDF, follow its job live and open the
// download link when it is ready.
import type { ApolloClient } from "@apollo/client";

import {
  CreateRoadmapDocument,
  type CreateRoadmapMutation,
  type JobProgressSubscription,
  JobProgressDocument,
  ReportDocument,
  type ReportQuery,
  RequestReportDocument,
  type RequestReportMutation,
} from "./__generated__/graphql.js";
import { required } from "./data.js";

export type Roadmap = CreateRoadmapMutation["createRoadmap"];
export type JobUpdate = JobProgressSubscription["jobProgress"];

export async function createRoadmap(client: ApolloClient, programSlug: string, startDate: string): Promise<Roadmap> {
  const { data } = await client.mutate({ mutation: CreateRoadmapDocument, variables: { programSlug, startDate } });
  return required(data, "CreateRoadmap").createRoadmap;
}

export async function requestReport(
  client: ApolloClient, roadmapId: string,
): Promise<RequestReportMutation["requestReport"]> {
  const { data } = await client.mutate({ mutation: RequestReportDocument, variables: { roadmapId } });
  return required(data, "RequestReport").requestReport;
}

/** Every state of the job the subscription delivered, ending with SUCCEEDED or FAILED. */
export function followJob(client: ApolloClient, jobId: string, timeoutMs = 60_000): Promise<JobUpdate[]> {
  const updates: JobUpdate[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error(`job ${jobId} unfinished after ${timeoutMs} ms: ${JSON.stringify(updates)}`));
    }, timeoutMs);
    const finish = (error?: unknown) => {
      clearTimeout(timer);
      subscription.unsubscribe();
      if (error) reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
      else resolve(updates);
    };
    const subscription = client.subscribe({ query: JobProgressDocument, variables: { jobId } }).subscribe({
      next: ({ data, error }) => {
        if (error) return finish(error);
        if (!data) return;
        updates.push(data.jobProgress);
        if (data.jobProgress.status === "SUCCEEDED" || data.jobProgress.status === "FAILED") finish();
      },
      error: finish,
      complete: () => finish(),
    });
  });
}

export async function report(client: ApolloClient, id: string): Promise<ReportQuery["report"]> {
  const { data } = await client.query({ query: ReportDocument, variables: { id }, fetchPolicy: "network-only" });
  return required(data, "Report").report;
}
