/**
 * The host's working directory, or undefined once it has been deleted: a
 * child still starts there then (it inherits the directory, as any process
 * does), so a deleted directory must not fail a start on our side.
 */
export function currentDirectory(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined;
  }
}
