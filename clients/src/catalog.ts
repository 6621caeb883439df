// Typed calls for the catalog screens: each returns exactly the generated type of its operation, so a schema
// change that breaks a screen breaks `tsc` first.
import type { ApolloClient } from "@apollo/client";

import {
  HealthDocument,
  type HealthQuery,
  ProgramDetailDocument,
  type ProgramDetailQuery,
  SearchProgramsDocument,
  type SearchProgramsQuery,
  type SearchProgramsQueryVariables,
} from "./__generated__/graphql.js";
import { required } from "./data.js";

export type ProgramCard = SearchProgramsQuery["programs"]["edges"][number]["node"];
export type ProgramPage = ProgramDetailQuery["program"];

export async function health(client: ApolloClient): Promise<HealthQuery["health"]> {
  const { data } = await client.query({ query: HealthDocument, fetchPolicy: "network-only" });
  return required(data, "Health").health;
}

export async function searchPrograms(
  client: ApolloClient,
  variables: SearchProgramsQueryVariables,
): Promise<SearchProgramsQuery["programs"]> {
  const { data } = await client.query({ query: SearchProgramsDocument, variables, fetchPolicy: "network-only" });
  return required(data, "SearchPrograms").programs;
}

export async function programDetail(client: ApolloClient, slug: string): Promise<ProgramPage> {
  const { data } = await client.query({ query: ProgramDetailDocument, variables: { slug } });
  return required(data, "ProgramDetail").program;
}

/** One line per result, as a list screen shows it. */
export function cardTitle(card: ProgramCard): string {
  return `${card.country.flag} ${card.name} (${card.category.replaceAll("_", " ").toLowerCase()})`;
}

/** The fastest and slowest processing, in days, or null when the program publishes none. */
export function processingRange(program: ProgramPage): [number, number] | null {
  return program.processingTime ? [program.processingTime.minDays, program.processingTime.maxDays] : null;
}
