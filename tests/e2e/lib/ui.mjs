// Helpers for driving antd and antd-mobile screens by what a person sees: labels, roles and
// accessible names.

/** An antd Select: open it by its label and choose the option with this text. */
export async function antdSelect(page, label, option) {
  await page.getByLabel(label, { exact: true }).click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: option }).first().click();
}

/** An antd DatePicker, typed into by its label. */
export async function antdDate(page, label, date) {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}

/** antd writes two-character Chinese button labels with a space between ("通 过"). */
export function btn(scope, text) {
  const chars = [...text];
  const re = chars.length === 2 ? new RegExp(`^\\s*${chars[0]}\\s*${chars[1]}\\s*$`) : text;
  return scope.getByRole('button', { name: re });
}

/** UTC+8 wall-clock time as the server's clock offset. */
export function clockAt(date, time) {
  const ms = Date.parse(`${date}T${time}+08:00`);
  return { CAIFUHAO_CLOCK_OFFSET_S: String(Math.round((ms - Date.now()) / 1000)) };
}
