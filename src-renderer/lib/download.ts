// Hands text to the user as a file download (exports of conversations and batch results): a Blob URL, no server.
export function downloadText(text: string, fileName: string, type = 'text/plain'): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = fileName;
  a.click();
  URL.revokeObjectURL(a.href);
}
