/** A response's body as text and, when it is JSON, parsed: tests assert on either. */
export async function readResponse(res: Response): Promise<{status: number; headers: Headers; text: string; json: any}> {
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {status: res.status, headers: res.headers, text, json};
}
