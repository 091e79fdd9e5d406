import type { Command } from 'commander';
import { scenarios } from '../../scenarios/index.ts';
import { parseScenario } from '../../sim/scenario/scenarioSchema.ts';

export function registerScenarios(program: Command): void {
  program
    .command('scenarios')
    .description('List the named scenarios and the question each answers')
    .option('--json', 'print one JSON object as the last line of stdout')
    .action((o: { json?: boolean }) => {
      const list = Object.entries(scenarios).map(([name, s]) => {
        const parsed = parseScenario(s, name);
        return {
          name,
          days: parsed.days,
          question: parsed.question,
          ...(parsed.description ? { description: parsed.description } : {}),
        };
      });
      if (o.json) console.log(JSON.stringify({ scenarios: list }));
      else
        for (const s of list) {
          console.log(`${s.name.padEnd(18)} ${String(s.days).padStart(3)} days  ${s.question}`);
          // the first sentence of what a sweep measured, when the scenario says
          if (s.description) console.log(`${' '.repeat(28)}${s.description.split('. ')[0]}.`);
        }
    });
}
