import { expect, test } from "./app";

test("browser mode loads and shows the version, without errors", async ({
  app,
}) => {
  const firstInteractive = await app.openAndTimeFirstInteractive();
  // Printed, not asserted: a wall clock on a shared 2-core machine says little about the app.
  process.stdout.write(
    `  first screen interactive ${firstInteractive.toFixed(0)} ms after navigation start\n`,
  );
  const version = await app.waitForVersion();
  expect(version).toContain("cells-2021");
  await expect(app.page.getByText("Browser mode")).toBeVisible();
  await expect(
    app.page.getByRole("heading", { name: "Commission a plant" }),
  ).toBeVisible();
  await app.expectAccessible("start screen");
  // The token leaves the visible address once read, and a reload still works from the tab's memory.
  expect(app.page.url()).not.toContain("token=");
  await app.page.reload();
  await app.waitForVersion();
  await app.screenshot("start");
});

test("without the token the page says how to open it, and the API refuses", async ({
  app,
}) => {
  await app.page.goto(`${app.host.origin}/`);
  await expect(app.page.getByRole("alert")).toContainText(
    'Open Cellcert with the address that "cellcert serve" printed',
  );
  const answer = await app.page.request.post(
    `${app.host.origin}/api/app:info`,
    { data: {} },
  );
  expect(answer.status()).toBe(401);
});
