export { renderOfficialPdf, qrPng, qrPngDataUrl, type OfficialPdf } from './official-pdf';
