// A phone number and SMS codes as the second factor, as the apps' security screens and two-step sign-in do it
// (an authenticator app stays the recommended factor; codes from it complete `completeSignIn` the same way).
import type { ApolloClient } from "@apollo/client";

import {
  AddPhoneNumberDocument,
  LoginDocument,
  LoginWithMfaDocument,
  SendSignInCodeDocument,
  SetSmsSecondFactorDocument,
  VerifyPhoneNumberDocument,
} from "./__generated__/graphql.js";
import { required } from "./data.js";
import type { Session } from "./session.js";

/** Texts a code to `number` (E.164, or national with a region); `verifyPhoneNumber` with it proves the number. */
export async function addPhoneNumber(client: ApolloClient, number: string): Promise<string> {
  const { data } = await client.mutate({ mutation: AddPhoneNumberDocument, variables: { number } });
  return required(data, "AddPhoneNumber").addPhoneNumber.number;
}

export async function verifyPhoneNumber(client: ApolloClient, code: string): Promise<string> {
  const { data } = await client.mutate({ mutation: VerifyPhoneNumberDocument, variables: { code } });
  return required(data, "VerifyPhoneNumber").verifyPhoneNumber.number;
}

/** Turns SMS sign-in codes on or off; the password is asked again, and turning on needs a verified number. */
export async function setSmsSecondFactor(client: ApolloClient, password: string, enabled: boolean): Promise<boolean> {
  const { data } = await client.mutate({ mutation: SetSmsSecondFactorDocument, variables: { password, enabled } });
  return required(data, "SetSmsSecondFactor").setSmsSecondFactor;
}

/** The first step: signed in at once (true), or a second factor is asked for (the challenge's token). */
export async function startSignIn(
  client: ApolloClient, session: Session, email: string, password: string,
): Promise<{ signedIn: true } | { signedIn: false; mfaToken: string }> {
  const { data } = await client.mutate({ mutation: LoginDocument, variables: { email, password } });
  const result = required(data, "Login").login;
  if (result.__typename === "AuthTokens") {
    await session.signIn(result);
    return { signedIn: true };
  }
  return { signedIn: false, mfaToken: result.mfaToken };
}

/** Asks for a code by SMS for the pending sign-in (the "text me a code" button). */
export async function sendSignInCode(client: ApolloClient, mfaToken: string): Promise<boolean> {
  const { data } = await client.mutate({ mutation: SendSignInCodeDocument, variables: { mfaToken } });
  return required(data, "SendSignInCode").sendSignInCode;
}

/** The second step, with the texted (or authenticator) code; signs the session in. */
export async function completeSignIn(client: ApolloClient, session: Session, mfaToken: string, code: string): Promise<void> {
  const { data } = await client.mutate({ mutation: LoginWithMfaDocument, variables: { mfaToken, code } });
  await session.signIn(required(data, "LoginWithMfa").loginWithMfa);
}
