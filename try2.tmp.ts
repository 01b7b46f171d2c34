import { readFileSync } from 'node:fs';
import { draftCommitments } from './src/domain/intake/index.ts';
const f = JSON.parse(readFileSync('test/fixtures/intake/passages.json', 'utf8'));
for (const p of f.passages) {
  console.log('##', p.id);
  for (const d of draftCommitments(p.text, { departments: p.departments.map((x: any) => ({ aliases: [], shortName: {}, ...x })), today: `${p.year}-03-01`, year: p.year }))
    console.log(JSON.stringify({ name: d.name?.value, lead: d.lead?.value, co: d.co.map((c) => c.value), dl: d.deadline?.value, fig: d.figure?.value, unk: d.unknownDepartments.map((u) => u.role + ':' + u.span.text) }));
}
