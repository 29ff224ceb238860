import { describe, expect, it } from "vitest";
import {
  askSqlBrowser,
  browserRequest,
  parseBrowserAnswer,
} from "./sql-browser";

const answer = (text: string, announced = text.length): Buffer => {
  const head = Buffer.alloc(3);
  head.writeUInt8(0x05, 0);
  head.writeUInt16LE(announced, 1);
  return Buffer.concat([head, Buffer.from(text, "latin1")]);
};

describe("SQL Browser", () => {
  it("asks with CLNT_UCAST_INST: 0x04, the instance name, NUL", () => {
    expect([...browserRequest("MES")]).toEqual([0x04, 0x4d, 0x45, 0x53, 0x00]);
  });

  it("reads the instance's TCP port from SVR_RESP", () => {
    const parsed = parseBrowserAnswer(
      answer(
        "ServerName;SQL01;InstanceName;MES;IsClustered;No;Version;16.0.1000.6;tcp;49733;;",
      ),
    );
    expect("instances" in parsed && parsed.instances[0]).toMatchObject({
      fields: { InstanceName: "MES" },
      tcpPort: 49733,
    });
  });

  it("reads several instances and an instance without TCP", () => {
    const parsed = parseBrowserAnswer(
      answer(
        "ServerName;SQL01;InstanceName;A;tcp;1500;;ServerName;SQL01;InstanceName;B;np;\\\\SQL01\\pipe\\sql\\query;;",
      ),
    );
    expect(
      "instances" in parsed && parsed.instances.map((i) => i.tcpPort),
    ).toEqual([1500, null]);
  });

  it("says why an answer is not one", () => {
    expect(parseBrowserAnswer(Buffer.from([0x05]))).toMatchObject({
      problem: expect.stringMatching(/too short/) as unknown,
    });
    expect(parseBrowserAnswer(Buffer.from([0x06, 0, 0]))).toMatchObject({
      problem: expect.stringMatching(/not SVR_RESP/) as unknown,
    });
    expect(parseBrowserAnswer(answer("tcp;1;;", 500))).toMatchObject({
      problem: expect.stringMatching(/announces 500 bytes/) as unknown,
    });
    const badPort = parseBrowserAnswer(answer("InstanceName;X;tcp;99999;;"));
    expect("instances" in badPort && badPort.instances[0]?.tcpPort).toBeNull();
  });

  it("refuses an instance name that cannot be one, without sending anything", async () => {
    const step = await askSqlBrowser({
      host: "127.0.0.1",
      instance: "A;B",
      timeoutMs: 100,
    });
    expect(step.error?.code).toBe("EINSTANCE");
    expect(step.answered).toBe(false);
  });
});
