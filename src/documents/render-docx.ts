/**
 * A 督办单 as a Word document (.docx), laid out as such documents are on paper: a band in the level's
 * colour with the issuing office and the level word, the title in the level's colour, the number, a rule,
 * the addressee and body in 仿宋, the items, the requirement, then office and date on the right. The only
 * importer of `docx`. Fonts are named, not embedded: 方正小标宋简体 for the title and 仿宋_GB2312 for the
 * text, the fonts of Chinese official documents (GB/T 9704); Word substitutes 宋体 where they are missing.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { DocumentModel } from './model.ts';

export const TITLE_FONT = '方正小标宋简体';
export const BODY_FONT = '仿宋_GB2312';
export const BAND_FONT = '黑体';
/** Half-points: 二号 (22 pt) for the title, 三号 (16 pt) for the text, as GB/T 9704 sets them. */
const TITLE_SIZE = 44;
const TEXT_SIZE = 32;

const font = (eastAsia: string) => ({ ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia });

function text(value: string, options: { bold?: boolean; colour?: string; size?: number; face?: string } = {}) {
  return new TextRun({
    text: value,
    font: font(options.face ?? BODY_FONT),
    size: options.size ?? TEXT_SIZE,
    ...(options.bold ? { bold: true } : {}),
    ...(options.colour ? { color: options.colour } : {}),
  });
}

/** A body paragraph: first line indented two characters, 28-point lines as on the printed page. */
function bodyParagraph(value: string, indent = true): Paragraph {
  return new Paragraph({
    children: [text(value)],
    spacing: { line: 560, lineRule: 'exact' },
    ...(indent ? { indent: { firstLine: TEXT_SIZE * 20 } } : {}),
  });
}

function band(doc: DocumentModel): Table {
  const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none },
    rows: [
      new TableRow({
        children: [
          new TableCell({
            shading: { type: ShadingType.CLEAR, color: 'auto', fill: doc.colour.band },
            margins: { top: 120, bottom: 120, left: 200, right: 200 },
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  text(doc.issuer, { bold: true, colour: doc.colour.text, face: BAND_FONT }),
                  text(`　${doc.levelWord}`, { bold: true, colour: doc.colour.text, face: BAND_FONT }),
                ],
              }),
            ],
          }),
        ],
      }),
    ],
  });
}

export async function renderDocx(doc: DocumentModel): Promise<Buffer> {
  const children = [
    band(doc),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 480, after: 240 },
      children: [text(doc.title, { colour: doc.colour.ink, size: TITLE_SIZE, face: TITLE_FONT, bold: true })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: doc.colour.ink, space: 6 } },
      spacing: { after: 360 },
      children: [text(doc.number)],
    }),
    // A preview says so on the page, so a printed draft is never taken for the issued document.
    ...(doc.preview
      ? [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [text(doc.previewMark, { colour: doc.colour.ink })],
          }),
        ]
      : []),
    ...doc.body.map((p, i) => bodyParagraph(p, i > 0)),
    ...doc.items.map((p) => bodyParagraph(p)),
    ...doc.requirement.map((p) => bodyParagraph(p)),
    new Paragraph({ spacing: { before: 480 }, children: [] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, children: [text(doc.issuer)] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, children: [text(doc.date)] }),
  ];
  const document = new Document({
    creator: doc.issuer,
    title: `${doc.title} ${doc.number}`,
    styles: { default: { document: { run: { font: font(BODY_FONT), size: TEXT_SIZE } } } },
    sections: [
      {
        properties: {
          // A4, with the margins of GB/T 9704 (top 37 mm, left 28 mm, right 26 mm, bottom 35 mm).
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: 2098, left: 1587, right: 1474, bottom: 1984 },
          },
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}
