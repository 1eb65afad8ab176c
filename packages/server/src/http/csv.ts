/**
 * CSV as spreadsheets read it (RFC 4180): every cell quoted when it holds a
 * quote, comma or line break, quotes doubled, CRLF between rows. A cell that
 * starts with = + - @ (or a tab or carriage return) gets a leading apostrophe,
 * so a spreadsheet never runs text someone typed as a formula.
 */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
