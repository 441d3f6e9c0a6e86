/**
 * A reader that stops reading (`ratchet problems | head -4`) closes the pipe under stdout, and the
 * next write fails with EPIPE: unhandled, Node printed a stack and exited 1 with the command half
 * done. The command instead finishes as it would have, its files written and its exit code its
 * own, and what it would still have printed goes nowhere: nobody is reading it.
 */
export function dropOutputWhenStdoutCloses(stdout: NodeJS.WriteStream = process.stdout): void {
  const onError = (error: NodeJS.ErrnoException): void => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  };
  stdout.on('error', onError);
}
