// The TLS probe and its wire-level parts. The runner calls `probeTls` (I/O, returns TlsEvidence) and then
// `judgeTlsProfile` from engine/rules (pure); see docs/evidence.md.
export { probeTls, type TlsProbeOptions, type TlsTarget } from "./probe";
export {
  PROTOCOL_VERSIONS,
  buildClientHello,
  protocolOfVersion,
  x25519KeyShare,
  type ClientHelloOptions,
} from "./client-hello";
export {
  readServerFlight,
  type ServerFlight,
  type ServerHello,
  type TlsAlert,
} from "./server-hello";
export {
  CIPHER_SUITES,
  suiteByCode,
  suiteByName,
  suiteName,
  suitesFor,
  weaknessesOf,
  type CipherSuite,
} from "../../../../shared/evidence/cipher-suites";
export { exchangeHello, type HelloExchange } from "./exchange";
export { fullHandshake, type HandshakeResult } from "./handshake";
export { scanProtocol } from "./enumerate";
