/**
 * A duban instance in a process of its own, for the failover test and bench/failover.ts: started with
 * `node bin/run-ts.js test/support/leader-child.ts '<InstanceOptions as JSON>'`; prints one JSON line
 * when it leads (`{"leader":true,"at":ms}`), then ticks until it is killed.
 */
import { startInstance } from './scheduler-instance.ts';

const options = JSON.parse(process.argv[2] ?? '{}');
const instance = await startInstance(options);
const announce = () => {
  if (instance.leadership.isLeader()) {
    process.stdout.write(`${JSON.stringify({ leader: true, at: Date.now() })}\n`);
    return true;
  }
  return false;
};
if (!announce()) {
  const poll = setInterval(() => announce() && clearInterval(poll), 20);
}
process.once('SIGTERM', () => void instance.stop().then(() => process.exit(0)));
