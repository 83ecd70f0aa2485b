// What a page draws besides text, read from pdf.js's operator list: raster images and filled or stroked paths,
// each with its box on the displayed page. The current transformation matrix is tracked through save/restore,
// `cm` and form XObjects, so nested and scaled drawings land where they appear.
import { multiply, transformBox, type Box, type Matrix } from './geometry.js';
import { pdfjs, type PDFPageProxy } from './pdfjs.js';

export interface GraphicElement {
  kind: 'image' | 'path';
  box: Box;
  /** Drawing segments in the path (moveTo, lineTo, curveTo, closePath); 0 for images. */
  segments: number;
}

const OPS = pdfjs.OPS;
// Operators that paint one image into the unit square of the current matrix. (The *Group and *Repeat variants
// paint several copies at their own positions: pdf.js emits them for tiled masks, not for pictures.)
const IMAGE_OPS = new Set<number>([OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageMaskXObject]);
const STROKING = new Set<number>([OPS.stroke, OPS.closeStroke, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);
const PAINTING = new Set<number>([...STROKING, OPS.fill, OPS.eoFill]);

export async function extractGraphics(page: PDFPageProxy, viewportTransform: number[]): Promise<GraphicElement[]> {
  const { fnArray, argsArray } = await page.getOperatorList();
  const elements: GraphicElement[] = [];
  let ctm: Matrix = [...viewportTransform] as Matrix;
  let lineWidth = 1;
  const stack: { ctm: Matrix; lineWidth: number }[] = [];
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i]!;
    const args = argsArray[i] as unknown[] | null;
    switch (fn) {
      case OPS.save:
        stack.push({ ctm, lineWidth });
        break;
      case OPS.restore: {
        const top = stack.pop();
        if (top) ({ ctm, lineWidth } = top);
        break;
      }
      case OPS.transform:
        ctm = multiply(ctm, args as number[]);
        break;
      case OPS.setLineWidth:
        lineWidth = args![0] as number;
        break;
      case OPS.paintFormXObjectBegin:
        stack.push({ ctm, lineWidth });
        if (Array.isArray(args?.[0]) || ArrayBuffer.isView(args?.[0])) ctm = multiply(ctm, Array.from(args![0] as number[]));
        break;
      case OPS.paintFormXObjectEnd: {
        const top = stack.pop();
        if (top) ({ ctm, lineWidth } = top);
        break;
      }
      case OPS.constructPath: {
        // args: [paint operator, [path data], [minX, minY, maxX, maxY] in user space]; endPath (clipping only) paints nothing.
        const [paintOp, [data], minMax] = args as [number, [ArrayLike<number> | null], ArrayLike<number> | null];
        if (!minMax || !PAINTING.has(paintOp) || !Number.isFinite(minMax[0])) break;
        const halfWidth = STROKING.has(paintOp) ? Math.max(lineWidth, 0) / 2 : 0;
        const userBox: Box = [minMax[0]! - halfWidth, minMax[1]! - halfWidth, minMax[2]! + halfWidth, minMax[3]! + halfWidth];
        elements.push({ kind: 'path', box: transformBox(ctm, userBox), segments: countSegments(data) });
        break;
      }
      case OPS.paintSolidColorImageMask:
        // A one-colour mask over the unit square: a filled rectangle, so vector.
        elements.push({ kind: 'path', box: transformBox(ctm, [0, 0, 1, 1]), segments: 5 });
        break;
      default:
        if (IMAGE_OPS.has(fn)) elements.push({ kind: 'image', box: transformBox(ctm, [0, 0, 1, 1]), segments: 0 });
    }
  }
  return elements;
}

/** pdf.js path data: a flat list of DrawOPS codes (moveTo 0, lineTo 1, curveTo 2, quadraticCurveTo 3, closePath 4) and coordinates. */
function countSegments(data: ArrayLike<number> | null): number {
  if (!data) return 0;
  const coords = [2, 2, 6, 4, 0];
  let n = 0;
  for (let k = 0; k < data.length; n++) k += 1 + (coords[data[k]!] ?? 0);
  return n;
}
