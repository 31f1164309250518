import type ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { VaratlasError } from '../errors.js';
import type { Store } from '../store/store.js';
import type * as p from './params.js';

/** What a handler gets for one request: the store of this request and the answer cache of its generation. */
export interface RequestContext {
  store: Store;
  cached<T>(key: string, compute: () => Promise<T>): Promise<T>;
  /** The store's catchment areas (cached): to check a parameter before any analysis runs. */
  areas(): Promise<Awaited<ReturnType<Store['areas']>>>;
}

/** The language a workbook is asked for (`lang`, English unless nb). */
export function language(q: p.Query): 'nb' | 'en' {
  if (q.lang !== undefined && q.lang !== 'nb' && q.lang !== 'en') throw new VaratlasError('usage', `parameter 'lang' must be nb or en, got '${q.lang.slice(0, 40)}'`);
  return q.lang === 'nb' ? 'nb' : 'en';
}

/** A workbook as a download. */
export async function sendWorkbook(reply: FastifyReply, book: ExcelJS.Workbook, fileName: string): Promise<FastifyReply> {
  const buffer = Buffer.from(await book.xlsx.writeBuffer());
  return reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .send(buffer);
}
