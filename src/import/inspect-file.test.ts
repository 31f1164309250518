import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { tempDir, writeText } from '../test-support/fixtures.js';
import { detectDelimiter, splitHeader } from './header.js';
import { decodeLine, inspectFile } from './inspect-file.js';

describe('inspectFile', () => {
  it('sees UTF-8 even when a multi-byte letter straddles a read chunk', async () => {
    const dir = await tempDir();
    const chunk = 1 << 20;
    const text = Buffer.concat([Buffer.from('a;b\n'), Buffer.alloc(chunk - 5, 0x61), Buffer.from('ø\n', 'utf8')]);
    assert.equal(text[chunk - 1], 0xc3, 'ø starts on the last byte of the first chunk');
    const facts = await inspectFile(await writeText(dir, 'x.csv', text));
    assert.equal(facts.encoding, 'utf-8');
  });

  it('calls a file with Windows-1252 æøå windows-1252 and decodes its header', async () => {
    const dir = await tempDir();
    const facts = await inspectFile(await writeText(dir, 'x.csv', iconv.encode('kommune;område\n0301;Østensjø\n', 'win1252')));
    assert.equal(facts.encoding, 'windows-1252');
    assert.equal(decodeLine(facts.firstLineBytes, facts.encoding), 'kommune;område');
  });

  it('gives the same hash for the same bytes whatever the file name', async () => {
    const dir = await tempDir();
    const a = await inspectFile(await writeText(dir, 'a.csv', 'x,y\n1,2\n'));
    const b = await inspectFile(await writeText(dir, 'b.csv', 'x,y\n1,2\n'));
    const c = await inspectFile(await writeText(dir, 'c.csv', 'x,y\n1,3\n'));
    assert.equal(a.hash, b.hash);
    assert.notEqual(a.hash, c.hash);
  });

  it('agrees with a strict UTF-8 decoder on any bytes', async () => {
    const dir = await tempDir();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 64 }), async (bytes) => {
        const path = await writeText(dir, 'p.csv', Buffer.concat([Buffer.from('h\n'), Buffer.from(bytes)]));
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          valid = false;
        }
        assert.equal((await inspectFile(path)).encoding, valid ? 'utf-8' : 'windows-1252');
      }),
      { numRuns: 150 },
    );
  });
});

describe('header', () => {
  it('splits on the delimiter outside quotes only', () => {
    assert.deepEqual(splitHeader('"a;b";c;"d ""e"""', ';'), ['a;b', 'c', 'd "e"']);
  });
  it('chooses comma or semicolon by which splits the header into more fields', () => {
    assert.equal(detectDelimiter('a;b;c', 'f'), ';');
    assert.equal(detectDelimiter('a,b,c', 'f'), ',');
    assert.equal(detectDelimiter('"x,y";b;c', 'f'), ';');
  });
});
