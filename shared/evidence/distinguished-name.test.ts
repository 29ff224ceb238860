import { describe, expect, it } from "vitest";
import {
  commonName,
  escapeNameValue,
  nameAttribute,
  oneLineName,
  parseName,
  shortName,
} from "./distinguished-name";

// What Node 20's X509Certificate.subject prints (measured) for a certificate made with
//   openssl req -multivalue-rdn -utf8 -subj '/C=DE/O=Müller \, Söhne/OU=A+OU=B/CN=Doe\, John "J" <x>; #1 /'
// OpenSSL's RFC 2253 escaping (ASN1_STRFLGS_ESC_2253), " + " inside a multi-valued RDN, UTF-8 as is.
const NODE_SUBJECT =
  'C=DE\nO=Müller \\, Söhne\nOU=A + OU=B\nCN=Doe\\, John \\"J\\" \\<x\\>\\; #1\\ ';

describe("oneLineName", () => {
  it("turns Node's lines into one, most specific first", () => {
    expect(oneLineName(NODE_SUBJECT)).toBe(
      'CN=Doe\\, John \\"J\\" \\<x\\>\\; #1\\ , OU=A + OU=B, O=Müller \\, Söhne, C=DE',
    );
  });
});

describe("parseName", () => {
  it("reads every attribute of a line, escapes undone, multi-valued RDNs flattened", () => {
    expect(parseName(oneLineName(NODE_SUBJECT))).toEqual([
      { type: "CN", value: 'Doe, John "J" <x>; #1 ' },
      { type: "OU", value: "A" },
      { type: "OU", value: "B" },
      { type: "O", value: "Müller , Söhne" },
      { type: "C", value: "DE" },
    ]);
  });

  it("reads RFC 4514's own form: hex pairs as UTF-8, no spaces around separators", () => {
    expect(parseName("CN=M\\C3\\BCller+OU=Ops,O=Plant\\2C Inc.,C=DE")).toEqual([
      { type: "CN", value: "Müller" },
      { type: "OU", value: "Ops" },
      { type: "O", value: "Plant, Inc." },
      { type: "C", value: "DE" },
    ]);
  });

  it("keeps a #-hex value as written and drops what is not an attribute", () => {
    expect(parseName("1.2.3.4=#0403414243, nonsense, CN=x")).toEqual([
      { type: "1.2.3.4", value: "#0403414243" },
      { type: "CN", value: "x" },
    ]);
    expect(parseName("")).toEqual([]);
  });
});

// The two readers this one replaced, as they were: x509's commonNameOf ("" without a CN) and identity's commonName
// (escape-aware value, the whole name without a CN). Each row pins where they differed and what is right per
// RFC 4514: a value ends only at an unescaped separator, "CN=" inside a value is no attribute, a CN in a
// multi-valued RDN is a CN, hex pairs are UTF-8, types are case-insensitive (§2.3), and a name without a CN has
// none ("" — shortName is what sentences fall back to).
const formerCommonNameOf = (name: string): string =>
  /(?:^|, )CN=([^,]*)/.exec(name)?.[1] ?? "";
const formerCommonName = (name: string): string => {
  const match = /(?:^|, )CN=((?:\\.|[^,\\])*)/.exec(name);
  return match?.[1] === undefined ? name : match[1].replace(/\\(.)/g, "$1");
};

describe.each([
  // name, its CN, shortName, what commonNameOf and commonName said
  ["CN=Doe\\, John, O=Plant", "Doe, John", "Doe, John", "Doe\\", "Doe, John"],
  ["O=Plant, C=DE", "", "O=Plant, C=DE", "", "O=Plant, C=DE"],
  [
    "O=Evil\\, CN=mes01.plant.local, C=DE",
    "",
    "O=Evil\\, CN=mes01.plant.local, C=DE",
    "mes01.plant.local",
    "mes01.plant.local",
  ],
  [
    "OU=Ops + CN=mes01, O=Plant",
    "mes01",
    "mes01",
    "",
    "OU=Ops + CN=mes01, O=Plant",
  ],
  [
    "CN=M\\C3\\BCller, O=Plant",
    "Müller",
    "Müller",
    "M\\C3\\BCller",
    "MC3BCller",
  ],
  ["cn=mes01, O=Plant", "mes01", "mes01", "", "cn=mes01, O=Plant"],
  [
    "CN=mes01.plant.local, O=Plant, C=DE",
    "mes01.plant.local",
    "mes01.plant.local",
    "mes01.plant.local",
    "mes01.plant.local",
  ],
])("%s", (name, cn, short, formerOf, former) => {
  it("has the common name RFC 4514 reads", () => {
    expect(commonName(name)).toBe(cn);
    expect(nameAttribute(name, "CN")).toBe(cn);
  });
  it("is called by its CN, or its whole name without one", () => {
    expect(shortName(name)).toBe(short);
  });
  it("was read so by the two former readers", () => {
    expect([formerCommonNameOf(name), formerCommonName(name)]).toEqual([
      formerOf,
      former,
    ]);
  });
});

describe("nameAttribute", () => {
  it("reads the first of an attribute, most specific first", () => {
    const name =
      "CN=Ana Muñoz, OU=Ops, OU=Plant 1, O=Muñoz Automatización, C=ES";
    expect(nameAttribute(name, "OU")).toBe("Ops");
    expect(nameAttribute(name, "O")).toBe("Muñoz Automatización");
    expect(nameAttribute(name, "L")).toBe("");
  });
});

describe("escapeNameValue", () => {
  it.each([
    ["Plant, Inc.", "Plant\\, Inc."],
    ['a+b;c<d>e"f\\g', 'a\\+b\\;c\\<d\\>e\\"f\\\\g'],
    ["#1 ", "\\#1\\ "],
    [" lead", "\\ lead"],
    ["line\nbreak", "line\\0Abreak"],
    ["Müller", "Müller"],
  ])("escapes %j as %j, and reads back", (value, escaped) => {
    expect(escapeNameValue(value)).toBe(escaped);
    expect(commonName(`CN=${escaped}, O=x`)).toBe(value);
  });

  it("escapes as Node does, so a name built from values reads like a certificate's", () => {
    const values = ['Doe, John "J" <x>; #1 ', "A", "Müller , Söhne", "DE"];
    expect(
      `CN=${escapeNameValue(values[0] ?? "")}, O=${escapeNameValue(values[2] ?? "")}`,
    ).toBe('CN=Doe\\, John \\"J\\" \\<x\\>\\; #1\\ , O=Müller \\, Söhne');
  });
});
