// The person the journey plays: a software developer from India, 31, single, master's degree (credential
// assessed), IELTS General 8/7/7/7 taken two months ago, six years of skilled work abroad, CAD 30,000, looking at
// Canada and Australia. Dates are relative to today, so the answers never go stale. The API decides which of these
// it asks, and in what order.
import type { Question } from "../src/assessment.js";

function yearsAgo(years: number, today = new Date()): string {
  const day = Math.min(today.getUTCDate(), 28);
  return new Date(Date.UTC(today.getUTCFullYear() - years, today.getUTCMonth(), day)).toISOString().slice(0, 10);
}

function daysAgo(days: number, today = new Date()): string {
  return new Date(today.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

export const DEVELOPER_FROM_INDIA: Readonly<Record<string, unknown>> = {
  destinations: ["CA", "AU"],
  birth_date: yearsAgo(31),
  citizenships: ["IN"],
  marital_status: "single",
  dependent_children: 0,
  education: [{ level: "master", country: "IN", eca: true, au_recognition: "bachelor", completed_on: yearsAgo(7), duration_years: 2,
    full_time: true, state_recognised: true }],
  language_test: "ielts_gt",
  language_scores: { listening: 8, reading: 7, writing: 7, speaking: 7, test_date: daysAgo(60) },
  second_language_test: "none",
  work_history: [{ country: "IN", start: yearsAgo(6), hours_per_week: 40, teer: "1", occupation_code: "21231",
    paid: true, self_employed: false, authorised: true, relevant: true }],
  has_job_offer: false,
  nominations: [],
  relatives: [],
  funds: { amount: 30000, currency: "CAD" },
  ca_first_official_language: "english",
  ca_authorised_to_work: false,
  ca_certificate_of_qualification: false,
  au_skills_assessment: true,
  au_professional_year: false,
  au_naati_ccl: false,
};

/** The person's answer to whatever the API asks; a question they have no answer for fails loudly. */
export function answerAs(person: Readonly<Record<string, unknown>>): (question: Question) => unknown {
  return (question) => {
    if (!(question.id in person)) throw new Error(`the API asked ${question.id} (${question.prompt}), unplanned`);
    return person[question.id];
  };
}
