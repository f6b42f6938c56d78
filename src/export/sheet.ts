/**
 * What every Duban worksheet shares: a bold, frozen header row with filters, set column widths, and
 * dates written as real dates (Excel serials with a date format), so people can sort and filter
 * them. Excel dates have no time zone: an instant is written as its Shanghai wall-clock time.
 */
import type ExcelJS from 'exceljs';
import { parseLocalDate, shanghaiParts } from '../core/cycles/time.js';

export interface SheetColumn<Row> {
  header: string;
  width: number;
  value: (row: Row) => ExcelJS.CellValue;
  /** Excel number format, e.g. DATE_FORMAT. */
  numFmt?: string;
}

export const DATE_FORMAT = 'yyyy-mm-dd';
export const DATE_TIME_FORMAT = 'yyyy-mm-dd hh:mm';
export const PERCENT_FORMAT = '0%';

/** A `YYYY-MM-DD` Shanghai date as a date cell value; null stays empty. */
export function dateCell(date: string | null | undefined): Date | null {
  if (!date) return null;
  const { year, month, day } = parseLocalDate(date);
  return new Date(Date.UTC(year, month - 1, day));
}

/** An ISO instant as its Shanghai wall-clock time (what people there read), to the minute. */
export function dateTimeCell(instant: string | null | undefined): Date | null {
  if (!instant) return null;
  const p = shanghaiParts(new Date(instant));
  return new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute));
}

/** Adds a sheet of `rows` under `columns`, header frozen and filtered. */
export function addTableSheet<Row>(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: readonly SheetColumn<Row>[],
  rows: readonly Row[],
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({
    header: c.header,
    width: c.width,
    ...(c.numFmt === undefined ? {} : { style: { numFmt: c.numFmt } }),
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle' };
  for (const row of rows) sheet.addRow(columns.map((c) => c.value(row)));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return sheet;
}

/** The workbook as the bytes of an .xlsx file. */
export async function workbookBuffer(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
