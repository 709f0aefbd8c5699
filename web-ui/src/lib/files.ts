// Files sent to the server inside JSON: the bytes of a Blob (a photo, a signed
// document picked on a phone or a laptop) as standard base64, without the data: prefix.
export function blobToBase64(b: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const s = String(r.result);
      resolve(s.slice(s.indexOf(',') + 1));
    };
    r.onerror = () => reject(r.error);
    r.readAsDataURL(b);
  });
}
