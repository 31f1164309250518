import { t, type Lang } from './i18n.js';
import { el } from './dom.js';


export function downloadButton(label: string, action: () => void): Node {
  const b = el('button', { type: 'button' }, label);
  b.addEventListener('click', action);
  return b;
}

export function download(name: string, type: string, text: string): void {
  save(URL.createObjectURL(new Blob([text], { type })), name);
}

function save(href: string, name: string): void {
  const a = el('a', { href, download: name }) as HTMLAnchorElement;
  document.body.append(a);
  a.click();
  a.remove();
}

/** A chart (SVG) as a PNG at twice its size, on white. */
export function png(svg: Element, name: string): void {
  const xml = new XMLSerializer().serializeToString(svg);
  const img = new Image();
  const { width, height } = svg.getBoundingClientRect();
  img.onload = () => {
    const canvas = el('canvas', { width: String(width * 2), height: String(height * 2) }) as HTMLCanvasElement;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = 'white';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.scale(2, 2);
    ctx.drawImage(img, 0, 0);
    save(canvas.toDataURL('image/png'), name);
  };
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(xml)}`;
}

/**
 * A table as a PNG, drawn cell by cell as the page shows it (text, background colour, bold heads), at
 * twice its size: the whole table, also the part a scrolling box hides.
 */
export function tablePng(table: HTMLTableElement, name: string): void {
  const rows = [...table.rows].map((r) => [...r.cells]);
  const measure = (el('canvas') as HTMLCanvasElement).getContext('2d')!;
  const font = (c: HTMLTableCellElement) => `${c.tagName === 'TH' ? 'bold ' : ''}13px system-ui, sans-serif`;
  const pad = 6;
  const lineHeight = 22;
  // Column widths from the cells that span one column; a wider spanning cell is allowed to overflow.
  const columns = Math.max(...rows.map((r) => r.reduce((n, c) => n + c.colSpan, 0)));
  const widths = new Array<number>(columns).fill(0);
  for (const r of rows) {
    let x = 0;
    for (const c of r) {
      measure.font = font(c);
      if (c.colSpan === 1) widths[x] = Math.min(260, Math.max(widths[x]!, measure.measureText(text(c)).width + 2 * pad));
      x += c.colSpan;
    }
  }
  const left = widths.map((_, i) => widths.slice(0, i).reduce((a, b) => a + b, 0));
  const canvas = el('canvas', { width: String(2 * (left[columns - 1]! + widths[columns - 1]!)), height: String(2 * rows.length * lineHeight) }) as HTMLCanvasElement;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(2, 2);
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.textBaseline = 'middle';
  rows.forEach((r, y) => {
    let x = 0;
    for (const c of r) {
      const width = widths.slice(x, x + c.colSpan).reduce((a, b) => a + b, 0);
      const style = getComputedStyle(c);
      const background = style.backgroundColor;
      if (background && background !== 'rgba(0, 0, 0, 0)') {
        ctx.fillStyle = background;
        ctx.fillRect(left[x]!, y * lineHeight, width, lineHeight);
      }
      ctx.strokeStyle = '#dddddd';
      ctx.strokeRect(left[x]!, y * lineHeight, width, lineHeight);
      ctx.font = font(c);
      ctx.fillStyle = style.color || '#000000';
      ctx.fillText(text(c), left[x]! + pad, y * lineHeight + lineHeight / 2, width - 2 * pad);
      x += c.colSpan;
    }
  });
  save(canvas.toDataURL('image/png'), name);
}

const text = (c: HTMLTableCellElement) => (c.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Download and print buttons for a table view: CSV, XLSX (from the server), PNG of the table, print. */
export function tableDownloads(lang: Lang, name: string, csvOf: () => string, xlsx: string): Node {
  return el('p', { class: 'downloads' },
    downloadButton('CSV', () => download(`${name}.csv`, 'text/csv', csvOf())),
    downloadButton('XLSX', () => location.assign(xlsx)),
    downloadButton('PNG', () => tablePng(document.querySelector('main table') as HTMLTableElement, `${name}.png`)),
    downloadButton(t('print', lang), () => window.print()));
}
