/**
 * How a local server (DynamoDB Local's JVM, a test's redis-server) never outlives the Node
 * process that started it: `/bin/sh -c STDIN_WATCHDOG_SCRIPT <name> <command> <args...>` starts
 * the command and kills it when the script's stdin, a pipe from Node, reaches its end. Node ends
 * it on a clean stop, and the kernel closes it when Node dies in any way, SIGKILL included. The
 * pipe is kept on fd 3 for the watcher because a non-interactive shell gives background commands
 * /dev/null as stdin. The script exits with the command's status, so a command that fails to
 * start is seen as this process exiting.
 */
export const STDIN_WATCHDOG_SCRIPT = `
exec 3<&0 </dev/null
"$@" 3<&- &
child=$!
{ cat <&3 >/dev/null 3<&-; kill "$child" 2>/dev/null; } &
exec 3<&-
wait "$child"
`;
