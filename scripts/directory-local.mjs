// `npm run directory:local`: a real Active Directory domain controller (Samba) on
// ldaps://127.0.0.1:636 for development. Provisions it into .directory/ on first use, then runs
// it in the foreground until Ctrl-C. Samba's own output goes to .directory/samba.log.
import { startDirectory } from './directory.mjs';

let directory;
try {
  directory = await startDirectory({ log: (line) => console.log(line) });
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
const { info } = directory;
console.log(`
Realm ${info.realm} (${info.domain}), base ${info.baseDn}
  LDAPS            ${info.url}   CA: ${info.caFile}
  Administrator    ${info.adminDn}   password in .directory/admin-password
  Service account  ${info.serviceDn}   password in .directory/service-password
  Delegated OU     ${info.ou}
  Demo accounts    ${Object.entries(info.accounts)
    .map(([name, a]) => `${name} / ${a.password}`)
    .join(', ')}
`);
if (directory.reused) {
  console.log('It was already running elsewhere; nothing to keep running here.');
  process.exit(0);
}
console.log('Running; Ctrl-C stops it.');

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await directory.stop();
  console.log('Domain controller stopped.');
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
