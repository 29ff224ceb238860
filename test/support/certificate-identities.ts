// Engineer identities for the certificate's tests, made once per test file: a commissioning CA and an RSA
// engineer it issued, valid around the fixture plans' dates (2026-03-02).
import {
  createCommissioningCa,
  createEngineerIdentity,
  type CreatedIdentity,
} from "../../electron/engine/identity/create";
import { UNICODE_NAMES } from "./certificate-plans";

/** When the fixture identities were made, and when the fixture certificates are signed. */
export const IDENTITY_MADE = new Date("2026-01-01T00:00:00Z");
export const SIGNING_TIME = new Date("2026-03-02T15:00:00Z");

export interface TestPki {
  ca: CreatedIdentity;
  engineer: CreatedIdentity;
}

export async function testPki(): Promise<TestPki> {
  const ca = await createCommissioningCa({
    company: UNICODE_NAMES.company,
    country: "ES",
    now: IDENTITY_MADE,
  });
  const engineer = await createEngineerIdentity({
    name: UNICODE_NAMES.engineer,
    company: UNICODE_NAMES.company,
    email: "lukasz.nowak@example.com",
    issuer: ca,
    now: IDENTITY_MADE,
  });
  return { ca, engineer };
}
