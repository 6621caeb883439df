// The results screen: every program ranked for the person's latest completed assessment, with the official points
// breakdown factor by factor and the smallest changes that would get them in.
import type { ApolloClient } from "@apollo/client";

import {
  MyRecommendationsDocument,
  type MyRecommendationsQuery,
  PointsBreakdownDocument,
  type PointsBreakdownQuery,
  SnapshotRecommendationsDocument,
  type SnapshotRecommendationsQuery,
} from "./__generated__/graphql.js";
import { required } from "./data.js";

export type Recommendation = MyRecommendationsQuery["myRecommendations"]["edges"][number];

/** Every recommendation, page by page. */
export async function allRecommendations(client: ApolloClient, pageSize = 10): Promise<Recommendation[]> {
  const all: Recommendation[] = [];
  let after: string | null = null;
  do {
    const { data } = await client.query({
      query: MyRecommendationsDocument, variables: { first: pageSize, after }, fetchPolicy: "network-only",
    });
    const page: MyRecommendationsQuery["myRecommendations"] = required(data, "MyRecommendations").myRecommendations;
    all.push(...page.edges);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor ?? null : null;
  } while (after);
  return all;
}

export async function pointsBreakdown(
  client: ApolloClient, programSlug: string,
): Promise<PointsBreakdownQuery["pointsBreakdown"]> {
  const { data } = await client.query({
    query: PointsBreakdownDocument, variables: { programSlug }, fetchPolicy: "network-only",
  });
  return required(data, "PointsBreakdown").pointsBreakdown;
}

type SnapshotPage = NonNullable<SnapshotRecommendationsQuery["assessment"]["latestSnapshot"]>["recommendations"];
export type SnapshotRecommendation = SnapshotPage["edges"][number];

/** The results of one completed assessment, before signing up: its resume token opens them. */
export async function assessmentRecommendations(
  client: ApolloClient, assessmentId: string, resumeToken: string | null, pageSize = 10,
): Promise<SnapshotRecommendation[]> {
  const all: SnapshotRecommendation[] = [];
  let after: string | null = null;
  do {
    const { data } = await client.query({
      query: SnapshotRecommendationsDocument, variables: { assessmentId, resumeToken, first: pageSize, after },
      fetchPolicy: "network-only",
    });
    const snapshot = required(data, "SnapshotRecommendations").assessment.latestSnapshot;
    if (!snapshot) throw new Error("complete the assessment first");
    const page: SnapshotPage = snapshot.recommendations;
    all.push(...page.edges);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor ?? null : null;
  } while (after);
  return all;
}

