// Signing up and in, as the apps' account screens do it.
import type { ApolloClient } from "@apollo/client";

import {
  LoginDocument,
  MeDocument,
  type MeQuery,
  RegisterDocument,
  VerifyEmailDocument,
} from "./__generated__/graphql.js";
import { required } from "./data.js";
import type { Session } from "./session.js";

export interface NewAccount {
  email: string;
  password: string;
  name: string;
}

/** Creates the account; the API mails a verification link whether or not the address was taken. */
export async function register(client: ApolloClient, input: NewAccount): Promise<void> {
  const { data } = await client.mutate({ mutation: RegisterDocument, variables: { input } });
  required(data, "Register");
}

/** The token from the verification link's `token=` parameter. */
export async function verifyEmail(client: ApolloClient, token: string): Promise<string> {
  const { data } = await client.mutate({ mutation: VerifyEmailDocument, variables: { token } });
  return required(data, "VerifyEmail").verifyEmail.email;
}

/** Signs the session in; an account with MFA answers with a challenge, which these screens do not handle. */
export async function logIn(client: ApolloClient, session: Session, email: string, password: string): Promise<void> {
  const { data } = await client.mutate({ mutation: LoginDocument, variables: { email, password } });
  const result = required(data, "Login").login;
  if (result.__typename !== "AuthTokens") throw new Error("this account asks for a second factor");
  await session.signIn(result);
}

export async function me(client: ApolloClient): Promise<MeQuery["me"]> {
  const { data } = await client.query({ query: MeDocument, fetchPolicy: "network-only" });
  return required(data, "Me").me;
}
