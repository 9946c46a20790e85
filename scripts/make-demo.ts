/**
 * Builds the demo study, static/demo/cleaner-production.gloss.json, deterministically:
 *
 *     npx tsx scripts/make-demo.ts
 *
 * The study follows the seed study (../shared/seed/cleaner-production-study.txt): 30 enterprises
 * in cities C, N and S, the Cleaner Production codebook (codebooks/cleaner-production.json), and
 * one short transcript per enterprise (two for C03 and S01, which have a 2004 follow-up). Every
 * transcript is written here, sentence by sentence, from templates, and is marked at its top as
 * illustrative: no real interview is quoted.
 *
 * Coding: each code given to a case (the tables below) puts one sentence into the transcript and
 * a segment on exactly that sentence, found by searching the generated text for it (so offsets
 * are exact; `buildDemo` throws if a quote is missing or occurs twice). Counting cases per code
 * for the coder "Demo coder" reproduces the seed's tables (EXPECTED_*). A "Second coder" codes six
 * transcripts with realistic differences (missed and extra passages, shifted boundaries, a
 * different code chosen), chosen so that counting all coders still gives the seed's tables.
 *
 * Nothing here is random: ids are hashes of fixed names and times are fixed, so running the
 * script twice gives the same file byte for byte (demo.spec.ts checks the file is current).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { backupToJson } from '../src/lib/core/backup';
import { codebookToCodes, descendants, parseCodebook } from '../src/lib/core/codebook';
import { normaliseText } from '../src/lib/core/text';
import type { Attribute, Case, Code, Coder, GlossDocument, Memo, Segment, StudyData } from '../src/lib/core/types';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CODEBOOK_PATH = resolve(ROOT, 'codebooks/cleaner-production.json');
export const DEMO_PATH = resolve(ROOT, 'static/demo/cleaner-production.gloss.json');
export const EXPORTED_AT = '2026-01-15T12:00:00.000Z';
const BASE_TIME = Date.parse('2026-01-15T09:00:00.000Z');
const at = (seconds: number) => new Date(BASE_TIME + seconds * 1000).toISOString();

export const DEMO_CODER = 'Demo coder';
export const SECOND_CODER = 'Second coder';

/** The codebook's hand-written GUIDs (codebooks/cleaner-production.json). */
const g = (n: number) => `cb0c0de0-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const CODE = {
	motivations: g(100),
	economic: g(110),
	productionCost: g(111),
	productQuality: g(112),
	internationalMarkets: g(113),
	abatementCost: g(114),
	policy: g(120),
	dischargeStandards: g(121),
	totalEmissionControl: g(122),
	occupationalHealth: g(123),
	energyWater: g(124),
	social: g(130),
	personalConcern: g(131),
	residentsComplaints: g(132),
	socialImage: g(133),
	leadership: g(200),
	renovationPlans: g(300),
	externalSupport: g(400),
	internal: g(500),
	resources: g(510),
	sectoral: g(520),
	cityActions: g(600),
	auditRequirement: g(610),
	training: g(620),
	factoryVisits: g(630),
	financialIncentives: g(640),
	cityTechSupport: g(650),
	response: g(700),
	reportOnly: g(710),
	genuineAudit: g(720),
	measuresImplemented: g(721),
	noFurtherAudit: g(722),
	auditContinued: g(723),
	noMeasures: g(724),
	tokenCompliance: g(730),
	integrating: g(740),
	integratedVaguely: g(741),
	componentsIntegrated: g(742),
	pollutionControl: g(800),
	preventive: g(810),
	endOfPipe: g(820)
} as const;
export type CodeKey = keyof typeof CODE;

/** The seed's "Reasons cited by enterprises for adopting CP measures": cases per code. */
export const EXPECTED_REASONS: [CodeKey, number][] = [
	['productionCost', 23],
	['dischargeStandards', 19],
	['internationalMarkets', 17],
	['productQuality', 14],
	['totalEmissionControl', 10],
	['abatementCost', 9],
	['personalConcern', 7],
	['occupationalHealth', 6],
	['residentsComplaints', 4]
];

/** The seed's "CP audits at case-study enterprises", by City. */
export const EXPECTED_AUDITS: Record<'C' | 'N' | 'S', { audited: number; genuine: number; continued: number }> = {
	C: { audited: 9, genuine: 7, continued: 1 },
	N: { audited: 12, genuine: 7, continued: 2 },
	S: { audited: 6, genuine: 6, continued: 4 }
};

// ------------------------------------------------------------------------ the enterprises

type City = 'C' | 'N' | 'S';
type Wave = '2001-02' | '2004';
type ResponseKind = 'none' | 'A' | 'B1a' | 'B1b' | 'B2';

interface CaseDef {
	key: string;
	label: string;
	city: City;
	wave: Wave;
	sector: string;
	size: 'Large' | 'Medium' | 'Small';
	ownership: string;
	response: ResponseKind;
	lang: 'en' | 'zh';
	/** In the transcript's language. */
	product: string;
	material: string;
	pollutant: string;
	/** A preventive measure, as a noun phrase ('' when the enterprise took none). */
	measure: string;
	/** Its end-of-pipe equipment. */
	eop: string;
	/** Codes told in a 2004 follow-up interview rather than the first one. */
	followUp?: CodeKey[];
	/** Template choices that suit this enterprise better than the default. */
	variant?: Partial<Record<CodeKey, number>>;
}

const SOE = 'State-owned';
const JV = 'Sino-foreign joint venture';
const W1: Wave = '2001-02';
const W2: Wave = '2004';

export const CASES: CaseDef[] = [
	// First set of interviews (2001-02): 14 enterprises that conducted CP audits before the end of 2001.
	{ key: 'C01', label: 'Dye intermediates', city: 'C', wave: W1, sector: 'Chemicals', size: 'Large', ownership: SOE, response: 'B1a', lang: 'en', product: 'dye intermediates', material: 'sulphuric acid', pollutant: 'COD', measure: 'recovering the mother liquor from the nitration step', eop: 'wastewater treatment station' },
	{ key: 'C02', label: 'Pesticides', city: 'C', wave: W1, sector: 'Chemicals', size: 'Medium', ownership: SOE, response: 'B1a', lang: 'zh', product: '农药原药', material: '甲醇', pollutant: 'COD', measure: '回收合成工段的甲醇', eop: '污水处理站' },
	{ key: 'C03', label: 'Antibiotics', city: 'C', wave: W1, sector: 'Pharmaceuticals', size: 'Large', ownership: SOE, response: 'B1a', lang: 'en', product: 'antibiotics', material: 'solvent', pollutant: 'COD', measure: 'recovering butyl acetate from the extraction step', eop: 'biological treatment plant', followUp: ['noFurtherAudit', 'sectoral'] },
	{ key: 'C04', label: 'Chlor-alkali', city: 'C', wave: W1, sector: 'Chemicals', size: 'Large', ownership: SOE, response: 'B2', lang: 'en', product: 'caustic soda', material: 'salt', pollutant: 'mercury', measure: 'replacing the mercury cells with membrane cells', eop: 'wastewater treatment station' },
	{ key: 'C05', label: 'Paper mill', city: 'C', wave: W1, sector: 'Light industry', size: 'Medium', ownership: 'Collective', response: 'B1a', lang: 'en', product: 'paper', material: 'water', pollutant: 'COD', measure: 'recycling the white water from the paper machines', eop: 'wastewater treatment station' },
	{ key: 'N01', label: 'Fertiliser', city: 'N', wave: W1, sector: 'Chemicals', size: 'Large', ownership: SOE, response: 'A', lang: 'en', product: 'urea', material: 'coal', pollutant: 'ammonia nitrogen', measure: 'recovering ammonia from the purge gas', eop: 'wastewater treatment station' },
	{ key: 'N02', label: 'Paints and coatings', city: 'N', wave: W1, sector: 'Chemicals', size: 'Medium', ownership: 'Collective', response: 'B1a', lang: 'en', product: 'paints and coatings', material: 'solvent', pollutant: 'COD', measure: 'cleaning the mixing tanks with recovered solvent', eop: 'waste solvent incinerator' },
	{ key: 'N03', label: 'Rubber additives', city: 'N', wave: W1, sector: 'Chemicals', size: 'Medium', ownership: JV, response: 'B1a', lang: 'en', product: 'rubber accelerators', material: 'aniline', pollutant: 'COD', measure: 'switching to a closed filtration system', eop: 'wastewater treatment station' },
	{ key: 'N04', label: 'Cotton printing and dyeing', city: 'N', wave: W1, sector: 'Textiles', size: 'Large', ownership: SOE, response: 'B2', lang: 'en', product: 'printed cotton cloth', material: 'water', pollutant: 'COD', measure: 'counter-current rinsing', eop: 'wastewater treatment station' },
	{ key: 'N05', label: 'Organic chemicals', city: 'N', wave: W1, sector: 'Chemicals', size: 'Large', ownership: SOE, response: 'B1a', lang: 'zh', product: '有机化工产品', material: '原料苯', pollutant: 'COD', measure: '改造精馏塔、回收尾气中的苯', eop: '污水处理站' },
	{ key: 'N06', label: 'Brewery', city: 'N', wave: W1, sector: 'Light industry', size: 'Medium', ownership: 'Collective', response: 'A', lang: 'en', product: 'beer', material: 'water', pollutant: 'COD', measure: 'recovering the spent grain', eop: 'anaerobic treatment plant' },
	{ key: 'S01', label: 'Fine chemicals', city: 'S', wave: W1, sector: 'Chemicals', size: 'Medium', ownership: JV, response: 'B1b', lang: 'en', product: 'fine chemicals for the electronics industry', material: 'hydrochloric acid', pollutant: 'COD', measure: 'recycling the washing water and recovering the acid', eop: 'wastewater treatment station', followUp: ['auditContinued', 'financialIncentives', 'personalConcern'] },
	{ key: 'S02', label: 'Vitamins', city: 'S', wave: W1, sector: 'Pharmaceuticals', size: 'Large', ownership: JV, response: 'B1a', lang: 'en', product: 'vitamin C', material: 'glucose', pollutant: 'COD', measure: 'raising the fermentation yield and recovering the mother liquor', eop: 'biological treatment plant' },
	{ key: 'S03', label: 'Resins', city: 'S', wave: W1, sector: 'Chemicals', size: 'Medium', ownership: 'Private', response: 'B1a', lang: 'zh', product: '树脂', material: '甲醛', pollutant: 'COD', measure: '改用密闭反应釜', eop: '污水处理站' },
	// Second set of interviews (2004): 16 enterprises.
	{ key: 'C06', label: 'Silk dyeing', city: 'C', wave: W2, sector: 'Textiles', size: 'Medium', ownership: 'Private', response: 'A', lang: 'en', product: 'dyed silk', material: 'dyes', pollutant: 'COD', measure: '', eop: 'wastewater treatment station' },
	{ key: 'C07', label: 'Pumps and valves', city: 'C', wave: W2, sector: 'Machine building', size: 'Medium', ownership: SOE, response: 'A', lang: 'en', product: 'pumps and valves', material: 'paint', pollutant: 'paint fumes', measure: 'switching to water-based paint in the spray shop', eop: 'spray booth filters' },
	{ key: 'C08', label: 'Tannery', city: 'C', wave: W2, sector: 'Light industry', size: 'Small', ownership: 'Private', response: 'none', lang: 'en', product: 'leather', material: 'chrome tanning agent', pollutant: 'chromium', measure: '', eop: 'settling tanks' },
	{ key: 'C09', label: 'Steel works', city: 'C', wave: W2, sector: 'Steel', size: 'Large', ownership: SOE, response: 'B1b', lang: 'en', product: 'steel', material: 'coke', pollutant: 'SO2', measure: 'recovering waste heat from the converters and recycling the cooling water', eop: 'desulphurisation unit', variant: { totalEmissionControl: 1, sectoral: 2 } },
	{ key: 'C10', label: 'Titanium dioxide pigments', city: 'C', wave: W2, sector: 'Chemicals', size: 'Medium', ownership: 'Collective', response: 'B1a', lang: 'zh', product: '钛白粉', material: '硫酸', pollutant: 'COD', measure: '回收废酸', eop: '中和处理站' },
	{ key: 'N07', label: 'Pesticide formulation', city: 'N', wave: W2, sector: 'Chemicals', size: 'Small', ownership: 'Private', response: 'A', lang: 'zh', product: '农药制剂', material: '溶剂', pollutant: 'COD', measure: '', eop: '污水处理池' },
	{ key: 'N08', label: 'Power plant', city: 'N', wave: W2, sector: 'Power', size: 'Large', ownership: SOE, response: 'A', lang: 'en', product: 'electricity', material: 'coal', pollutant: 'SO2', measure: 'using the fly ash in building materials', eop: 'electrostatic precipitators', variant: { sectoral: 1, energyWater: 2 } },
	{ key: 'N09', label: 'Vegetable cannery', city: 'N', wave: W2, sector: 'Light industry', size: 'Medium', ownership: 'Collective', response: 'A', lang: 'en', product: 'canned vegetables', material: 'water', pollutant: 'COD', measure: '', eop: 'wastewater treatment station' },
	{ key: 'N10', label: 'Traditional Chinese medicine', city: 'N', wave: W2, sector: 'Pharmaceuticals', size: 'Medium', ownership: SOE, response: 'B1b', lang: 'en', product: 'traditional Chinese medicines', material: 'ethanol', pollutant: 'COD', measure: 'recovering ethanol from the extraction step', eop: 'wastewater treatment station', variant: { sectoral: 0 } },
	{ key: 'N11', label: 'Wool dyeing and finishing', city: 'N', wave: W2, sector: 'Textiles', size: 'Large', ownership: JV, response: 'B1b', lang: 'en', product: 'wool fabric', material: 'steam', pollutant: 'COD', measure: 'installing low-liquor-ratio dyeing machines and recovering condensate', eop: 'wastewater treatment station' },
	{ key: 'N12', label: 'Motorcycle parts', city: 'N', wave: W2, sector: 'Machine building', size: 'Medium', ownership: 'Private', response: 'B1a', lang: 'en', product: 'motorcycle parts', material: 'nickel', pollutant: 'heavy metals', measure: 'counter-current rinsing in the electroplating line', eop: 'electroplating wastewater station' },
	{ key: 'S04', label: 'Printed circuit boards', city: 'S', wave: W2, sector: 'Electronics', size: 'Large', ownership: 'Foreign-owned', response: 'B1b', lang: 'en', product: 'printed circuit boards', material: 'copper', pollutant: 'copper', measure: 'recovering copper from the spent etching solution', eop: 'wastewater treatment station' },
	{ key: 'S05', label: 'Surfactants', city: 'S', wave: W2, sector: 'Chemicals', size: 'Medium', ownership: JV, response: 'B1b', lang: 'en', product: 'surfactants', material: 'steam', pollutant: 'COD', measure: 'heat integration and recycling the reactor cooling water', eop: 'wastewater treatment station' },
	{ key: 'S06', label: 'Polyester yarn dyeing', city: 'S', wave: W2, sector: 'Textiles', size: 'Medium', ownership: 'Private', response: 'none', lang: 'en', product: 'dyed polyester yarn', material: 'water', pollutant: 'COD', measure: '', eop: 'wastewater treatment station' },
	{ key: 'S07', label: 'Packaging paper', city: 'S', wave: W2, sector: 'Light industry', size: 'Small', ownership: 'Collective', response: 'none', lang: 'en', product: 'packaging paper', material: 'straw pulp', pollutant: 'COD', measure: '', eop: 'settling ponds' },
	{ key: 'S08', label: 'Organic silicone', city: 'S', wave: W2, sector: 'Chemicals', size: 'Large', ownership: JV, response: 'B1b', lang: 'en', product: 'silicone monomers', material: 'methyl chloride', pollutant: 'COD', measure: 'recovering methyl chloride and the hydrolysis by-products', eop: 'incinerator and wastewater plant' }
];

/**
 * Which enterprises cite or show what (besides their response to the audit requirement,
 * which follows from `response`). The first nine lines are the seed's table of reasons.
 */
export const ASSIGNED: Partial<Record<CodeKey, string>> = {
	productionCost: 'C01 C02 C03 C04 C05 C07 C09 C10 N01 N02 N03 N04 N05 N08 N10 N11 N12 S01 S02 S03 S04 S05 S08',
	dischargeStandards: 'C01 C02 C04 C05 C06 C08 C10 N01 N02 N04 N05 N06 N07 N08 N09 N11 S03 S06 S07',
	internationalMarkets: 'C01 C02 C03 C06 C07 N03 N04 N10 N11 N12 S01 S02 S03 S04 S05 S06 S08',
	productQuality: 'C01 C03 C05 C09 C10 N02 N03 N05 N10 N11 N12 S01 S02 S04',
	totalEmissionControl: 'C01 C04 C05 C09 C10 S01 S03 S05 S07 S08',
	abatementCost: 'C02 C04 C10 N01 N04 N05 S01 S05 S08',
	personalConcern: 'C05 C09 N10 N11 S01 S04 S08',
	occupationalHealth: 'C02 C03 C07 N01 N05 N12',
	residentsComplaints: 'C04 C08 N06 S07',
	energyWater: 'C09 N04 N06 N08 S05',
	socialImage: 'N11 S04 S08',
	// The seed: enterprises that continued CP audits share leadership commitment and external
	// technical support; 7 of the 12 first-set enterprises with an audit study added it to a
	// preexisting technology renovation plan, and 3 in the second set.
	leadership: 'C01 C09 N03 N05 N10 N11 S01 S02 S04 S05 S08',
	externalSupport: 'C03 C09 N02 N10 N11 S01 S03 S04 S05 S08',
	renovationPlans: 'C01 C03 C05 N03 N05 S02 S03 C09 N11 S04',
	resources: 'C02 C04 C09 C10 N04 N12 S02 S08',
	sectoral: 'C03 C07 C09 N08 N10 S02',
	training: 'C01 C02 C03 C05 C09 C10 N02 N03 N05 N10 N11 S01 S02 S03 S05',
	factoryVisits: 'C01 C04 C09 N02 N04 N11 S01 S03 S04 S08',
	financialIncentives: 'C03 C09 N10 S01 S08',
	cityTechSupport: 'C02 C05 C10 N02 N03 N05 N12 S05',
	integratedVaguely: 'C02 C07 C10 N02 N08 N12 S03',
	componentsIntegrated: 'C09 N10 N11 S05 S08',
	preventive: 'C01 C02 C03 C05 C07 C09 C10 N01 N02 N03 N05 N10 N11 N12 S01 S02 S03 S04 S05 S08',
	endOfPipe: 'C01 C02 C04 C05 C06 C07 C08 C10 N01 N04 N05 N06 N07 N08 N09 S03 S06 S07'
};

const RESPONSE_CODES: Record<ResponseKind, CodeKey[]> = {
	none: [],
	A: ['auditRequirement', 'response', 'reportOnly', 'tokenCompliance'],
	B1a: ['auditRequirement', 'response', 'genuineAudit', 'measuresImplemented', 'noFurtherAudit'],
	B1b: ['auditRequirement', 'response', 'genuineAudit', 'measuresImplemented', 'auditContinued'],
	B2: ['auditRequirement', 'response', 'genuineAudit', 'noMeasures']
};

/** Every code a case gets from the Demo coder. */
export function codesOfCase(c: CaseDef): Set<CodeKey> {
	const out = new Set<CodeKey>(RESPONSE_CODES[c.response]);
	for (const [k, list] of Object.entries(ASSIGNED)) if (list!.split(' ').includes(c.key)) out.add(k as CodeKey);
	return out;
}

// ------------------------------------------------------------------------ sentences

/** A stable number for a name: the first 32 bits of its SHA-1. */
const hashNum = (s: string) => parseInt(createHash('sha1').update(s).digest('hex').slice(0, 8), 16);

/** A deterministic RFC 4122 version-4-shaped GUID for a name. */
export function demoId(kind: string, name: string): string {
	const h = createHash('sha1').update(`gloss-demo:${kind}:${name}`).digest('hex');
	const v = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${v}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface Facts {
	c: CaseDef;
	year: string;
	team: number;
	options: number;
	done: number;
	months: number;
	staff: number;
	share: number;
	money: number;
	Measure: string;
}

function factsOf(c: CaseDef): Facts {
	const h = (s: string) => hashNum(c.key + s);
	const options = 14 + (h('options') % 26);
	const staffRange = { Large: [1500, 5000], Medium: [300, 1400], Small: [60, 250] }[c.size];
	return {
		c,
		year: c.wave === W1 ? (h('year') % 2 ? '2000' : '2001') : '2003',
		team: 5 + (h('team') % 7),
		options,
		done: Math.round(options * (0.35 + (h('done') % 30) / 100)),
		months: 3 + (h('months') % 5),
		staff: Math.round((staffRange[0] + (h('staff') % (staffRange[1] - staffRange[0]))) / 10) * 10,
		share: 20 + (h('share') % 9) * 5,
		money: (1 + (h('money') % 5)) * 100000,
		Measure: c.measure.charAt(0).toUpperCase() + c.measure.slice(1)
	};
}

type Template = (f: Facts) => string;

/** English sentences, one list of variants per code. */
const EN: Partial<Record<CodeKey, Template[]>> = {
	auditRequirement: [
		(f) => `In ${f.year} the Economic and Trade Commission put us on the list of enterprises that had to carry out a cleaner production audit and hand in a report.`,
		(f) => `The notice came from the ETC and the EPB together: we were one of the key enterprises that had to complete a CP audit by the end of ${f.year}.`,
		(f) => `At a city meeting in ${f.year} we were told that every enterprise on the list had to submit a CP audit report.`
	],
	training: [
		() => 'Our environment officer and one process engineer attended the CP training course the ETC organised.',
		() => 'Before the audit the city ran a training session for the audit teams, three days on the audit steps and the worksheets.',
		() => 'We sent four people to the cleaner production training in the city; that is where we learned the seven audit steps and the material balance.'
	],
	factoryVisits: [
		() => 'People from the ETC came to the factory twice while the audit was going on, to see the team and the list of options.',
		() => 'The EPB and ETC officials visited us during the audit and again when the measures were finished.',
		() => 'An official from the commission came to look at the workshops and asked how far the audit had got.'
	],
	financialIncentives: [
		(f) => `The city gave us a subsidy of ${f.money.toLocaleString('en-GB')} yuan, and the bank loan for the project was cheaper because it was a CP project.`,
		() => 'We received a small grant from the city CP fund, which paid for part of the equipment.',
		() => 'Because it was listed as a cleaner production project, part of our pollution levy was returned to us for the investment.'
	],
	cityTechSupport: [
		() => "The city's CP centre sent an engineer who went through the worksheets with us and checked the material balance.",
		() => 'When we got stuck, the EPB sent its own technical staff, who helped us write up the options.',
		() => 'The ETC arranged for an expert to review our draft report and point out what was missing.'
	],
	externalSupport: [
		() => 'A team from the university in the provincial capital stayed with us for several weeks, measured every stream and proposed most of the options.',
		() => 'We hired a consultant from the provincial CP centre; without him the audit would have been a copy of the old reports.',
		() => 'An international cooperation project paid for two experts who trained our audit team and came back after half a year to check on us.'
	],
	leadership: [
		() => 'The director chaired the audit team himself and came to every weekly meeting, so the workshop heads took it seriously.',
		() => 'Our general manager was the one who pushed it; he said the audit should be part of how we run the factory, not a report for the government.',
		() => 'From the start the party secretary and the director both signed the plan and gave the team the time it needed.'
	],
	renovationPlans: [
		(f) => `To be honest, ${f.c.measure} was already in our technology renovation plan; the audit gave it a better justification.`,
		(f) => `We attached the audit to the technical renovation project we had planned for the ${f.c.product} line anyway, so the big options were already on the list.`,
		() => 'The big items from the audit were in our renovation plan before anyone talked about cleaner production.'
	],
	reportOnly: [
		() => 'We did not carry out a real audit study; the environment office wrote the report from the records we already had.',
		() => 'There was no audit team as such; one person wrote the report in a few weeks and the director signed it.',
		() => 'We did not have the people for a study, so we put the report together from past projects and monitoring data.'
	],
	tokenCompliance: [
		() => 'Honestly, the report was for the ETC; we listed the projects we had done in the past three years and called them cleaner production.',
		() => 'Most of what is in the report happened before the audit requirement, and we just wrote it in the format they wanted.',
		() => 'It was paperwork, really: the commission needed a number of reports, and we gave them one.'
	],
	genuineAudit: [
		(f) => `We set up an audit team of ${f.team} people, measured the inputs and outputs of the main workshop and made a list of ${f.options} options.`,
		(f) => `The audit took about ${f.months} months: the team walked through every process, did the material balance and screened the options one by one.`,
		(f) => `We followed the steps properly, from the preliminary assessment to the feasibility study, and the team generated ${f.options} options.`
	],
	measuresImplemented: [
		(f) => `Of the ${f.options} options we have implemented ${f.done}, most of them no-cost or low-cost housekeeping measures.`,
		(f) => `After the audit we carried out ${f.done} of the options, including the larger one on the ${f.c.product} line.`,
		() => 'The no-cost options were done within a month, and the two larger ones were finished the following year.'
	],
	noFurtherAudit: [
		() => 'Once the report was accepted the team was dissolved; if the government asks for another audit, we will do another one.',
		() => 'We have not done a second audit, and we would only do one if it is required again.',
		() => 'The audit was a one-time task for us; nobody has asked us to repeat it.'
	],
	auditContinued: [
		() => 'Nobody asked us to, but we started a second audit round on another production line last year.',
		() => 'We kept the audit team as a permanent group, and every year it takes one workshop through the audit steps again.',
		() => 'After the first audit we went on with the process ourselves; we are now in the third round.'
	],
	noMeasures: [
		() => 'We had a list of options at the end, but none of them has been carried out, because there was no money left that year.',
		() => 'The options are all in the report, but the factory did not adopt any of them; production had priority.'
	],
	integratedVaguely: [
		() => 'In future we will certainly think about cleaner production more consciously when we make investment decisions.',
		() => 'The idea has stayed with us, even if there is no procedure for it; we try to keep it in mind.',
		() => 'I would say the managers now have the concept in their heads, and that will show in our later decisions.'
	],
	componentsIntegrated: [
		() => 'Every new investment now goes through the option screening sheet we learned in the audit.',
		() => 'We still do the material balance for each workshop every quarter, as we did during the audit.',
		() => 'The monitoring points we set up for the audit are still read every month to find losses.'
	],
	productionCost: [
		(f) => `${f.Measure} saves us a lot of ${f.c.material}, and that goes straight into lower production costs.`,
		(f) => `The main reason was cost: we use much less ${f.c.material} per tonne of product now.`,
		(f) => `For us cleaner production means saving ${f.c.material} and energy, which lowers the cost of everything we make.`
	],
	productQuality: [
		() => 'The product quality also improved; the rejects went down and the customers noticed.',
		(f) => `With the new process the ${f.c.product} are more uniform, so we get better prices.`,
		() => 'Quality was part of it: fewer impurities means fewer complaints from our customers.'
	],
	internationalMarkets: [
		() => 'Our foreign customers ask about the environmental side now, and without cleaner processes we would lose export orders.',
		(f) => `We export about ${f.share} percent of what we make, and the buyers abroad want to see ISO 14001 and a clean production record.`,
		() => 'For the international market you need green credentials; the buyers from Europe and Japan send their own auditors.'
	],
	abatementCost: [
		() => 'Producing less waste means the treatment station costs less to run and we pay a lower discharge fee.',
		() => 'Every tonne of wastewater we avoid is a tonne we do not have to treat, so the pollution fees have gone down.',
		(f) => `It is cheaper to stop the ${f.c.pollutant} at the source than to build a bigger treatment plant.`
	],
	dischargeStandards: [
		(f) => `The EPB found our ${f.c.pollutant} above the discharge standard and gave us a deadline to comply.`,
		(f) => `The new discharge standards are stricter, and we had to get the ${f.c.pollutant} at the outlet down.`,
		(f) => `We were under pressure from the environmental bureau, because our outlet did not meet the standard for ${f.c.pollutant}.`
	],
	totalEmissionControl: [
		(f) => `Under the Lake Tai plan our ${f.c.pollutant} quota was cut, so we had to reduce the total load, not just the concentration.`,
		(f) => `The total emission control target meant the factory had a fixed tonnage of ${f.c.pollutant} per year.`,
		() => 'With the total load control we cannot expand production unless we cut emissions somewhere else.'
	],
	occupationalHealth: [
		() => 'The workshop used to be full of fumes and the health and safety inspectors were not happy, so closing the process was also for the workers.',
		() => 'Part of it was the workers’ health: the old process exposed them to toxic vapours every day.',
		() => 'After an accident in the old section we wanted a process that is safer for the people who work there.'
	],
	energyWater: [
		() => 'The water bureau gave us a quota, and above it the water price is much higher, so we had to save water.',
		() => 'The energy saving target from the province was another reason; we have to report our energy use every quarter.',
		() => 'We are on the list of key energy-using enterprises, so the energy saving requirements are always there.'
	],
	personalConcern: [
		() => 'I grew up near the lake, and I do not want my factory to be the one that kills it.',
		() => 'Personally I think we owe it to our children not to leave the rivers in this state.',
		() => 'For me it is also a matter of conscience; an engineer should not waste and pollute if he can avoid it.'
	],
	residentsComplaints: [
		() => 'The village next to us complained about the smell every summer, and the complaints came back to us through the district.',
		() => 'Residents wrote letters to the EPB about the noise and the dust, and we had to answer them.',
		() => 'Some people living nearby called the complaints hotline about the water in the canal.'
	],
	socialImage: [
		() => 'We also want to be seen as a modern company; the clean production title helps with the bank and the city leaders.',
		() => 'The company’s image matters, and the officials often bring visitors to our plant.',
		() => 'Being named a green enterprise is good for our name with customers and with the government.'
	],
	resources: [
		() => 'We found more options than we could pay for; the money only covered the cheapest ones.',
		() => 'We simply did not have the engineers to do a proper analysis; everyone was busy with production.',
		() => 'We have our own laboratory and a strong technical department, which made the audit much easier.'
	],
	sectoral: [
		(f) => `In ${f.c.sector.toLowerCase()} every product is made in batches, so one audit only covers a small part of the factory.`,
		() => 'In our sector the pollution comes mainly from one step, so the options are quite limited.',
		() => 'Our industry has thin margins, so every measure has to pay back within two years.'
	],
	preventive: [
		(f) => `The main measure was ${f.c.measure}, and we also improved housekeeping in the workshops.`,
		(f) => `We changed the process by ${f.c.measure}, which reduced the waste at the source.`,
		(f) => `Since then we have been ${f.c.measure}, plus small things like fixing leaks and metering water.`
	],
	endOfPipe: [
		(f) => `Most of our environmental money still goes into the ${f.c.eop}.`,
		(f) => `For the pollution itself we rely on the ${f.c.eop}; that is what the EPB looks at.`,
		(f) => `The ${f.c.eop} does the real work of meeting the standard.`
	]
};

/** Chinese sentences: one per code, for the five transcripts in Chinese. */
const ZH: Partial<Record<CodeKey, Template>> = {
	auditRequirement: (f) => `${f.year}年，市经贸委把我们列入了清洁生产审核企业名单，要求年底前交审核报告。`,
	training: () => '审核开始前，我们派了三个人参加市里组织的清洁生产培训。',
	factoryVisits: () => '审核期间，经贸委的同志到厂里来看过两次。',
	cityTechSupport: () => '市清洁生产中心派了一位工程师，帮我们做物料平衡，检查工作表。',
	externalSupport: () => '省城一所大学的老师在厂里住了几个星期，测了每一股物料，大部分方案都是他们提出来的。',
	leadership: () => '厂长亲自担任审核小组组长，每周的例会他都参加。',
	renovationPlans: (f) => `说实话，${f.c.measure}本来就在我们的技术改造计划里，审核只是给了它一个更好的理由。`,
	reportOnly: () => '我们没有真正做审核，环保科根据现有的资料写了报告。',
	tokenCompliance: () => '报告主要是交给经贸委的，我们把这几年做过的项目列进去，就算是清洁生产了。',
	genuineAudit: (f) => `我们成立了${f.team}个人的审核小组，测了主要车间的投入产出，提出了${f.options}个方案。`,
	measuresImplemented: (f) => `${f.options}个方案里我们实施了${f.done}个，大多是无费和低费方案。`,
	noFurtherAudit: () => '报告通过以后审核小组就解散了，如果政府再要求，我们再做一次。',
	integratedVaguely: () => '以后在做投资决策的时候，我们肯定会更多地考虑清洁生产。',
	productionCost: (f) => `${f.c.measure}节约了大量${f.c.material}，生产成本明显下降了。`,
	productQuality: () => '产品质量也提高了，次品少了，客户也看得出来。',
	internationalMarkets: (f) => `我们的${f.c.product}有一部分出口，国外客户越来越关心环保，没有清洁的工艺就会丢掉订单。`,
	abatementCost: () => '废物少了，污水处理站的运行费用就低了，排污费也少交了。',
	dischargeStandards: (f) => `环保局发现我们的${f.c.pollutant}超过了排放标准，给了我们整改期限。`,
	totalEmissionControl: (f) => `按照太湖治理规划，我们的${f.c.pollutant}排放总量指标被削减了，光降低浓度已经不够了。`,
	occupationalHealth: () => '以前车间里气味很大，工人的健康也是一个原因。',
	resources: () => '我们找到的方案比能拿出的钱多，资金只够做最便宜的几个。',
	preventive: (f) => `主要的措施是${f.c.measure}，车间的管理也加强了。`,
	endOfPipe: (f) => `大部分环保的钱还是花在${f.c.eop}上。`
};

interface Section {
	name: string;
	q: string[];
	qFollowUp: string;
	qZh: string;
	/** Opening sentences of the answer (not coded), one chosen per transcript. */
	lead: string[];
	leadFollowUp: string;
	leadZh: string;
	codes: CodeKey[];
}

const SECTIONS: Section[] = [
	{
		name: 'contact',
		q: ['How did you first come into contact with cleaner production?', 'When did cleaner production first come up for your enterprise?'],
		qFollowUp: 'Has the city done anything more on cleaner production since we last spoke?',
		qZh: '你们最早是怎么接触到清洁生产的？',
		lead: ['It started with the government, like most things.', 'Let me think, it was a few years ago now.', 'Through the commission, mainly.'],
		leadFollowUp: 'A little, yes.',
		leadZh: '主要是通过政府。',
		codes: ['auditRequirement', 'training', 'factoryVisits', 'cityTechSupport', 'financialIncentives']
	},
	{
		name: 'audit',
		q: ['What did the enterprise do when it was asked for the audit report?', 'How did you go about the audit itself?'],
		qFollowUp: 'What has happened with the audit since our last interview?',
		qZh: '接到审核要求以后，企业是怎么做的？',
		lead: ['We took it as a task from above, at first.', 'That is a fair question.', 'It went roughly like this.'],
		leadFollowUp: 'Let me tell you where we are.',
		leadZh: '一开始我们把它当成上面布置的任务。',
		codes: [
			'reportOnly',
			'tokenCompliance',
			'genuineAudit',
			'leadership',
			'externalSupport',
			'renovationPlans',
			'measuresImplemented',
			'noMeasures',
			'noFurtherAudit',
			'auditContinued'
		]
	},
	{
		name: 'measures',
		q: ['Which measures have you taken to control pollution?', 'What does the enterprise actually do about its pollution?'],
		qFollowUp: 'Have the measures changed since then?',
		qZh: '你们采取了哪些控制污染的措施？',
		lead: ['There are two sides to it.', 'Quite a lot over the years, in fact.', 'Some of this is still going on.'],
		leadFollowUp: 'Not very much.',
		leadZh: '这要分两方面说。',
		codes: ['preventive', 'endOfPipe']
	},
	{
		name: 'economic',
		q: ['Why did the enterprise take up these measures?', 'What were the main reasons for these changes?'],
		qFollowUp: 'Are the reasons still the same?',
		qZh: '企业为什么要采取这些措施？',
		lead: ['For a factory the first question is always money.', 'There were several reasons.', 'Mostly practical ones.'],
		leadFollowUp: 'Mostly, yes.',
		leadZh: '对企业来说，首先考虑的还是经济效益。',
		codes: ['productionCost', 'productQuality', 'internationalMarkets', 'abatementCost']
	},
	{
		name: 'policy',
		q: ['Did environmental regulation play a part?', 'What about pressure from the government?'],
		qFollowUp: 'And the regulations?',
		qZh: '环保法规起了作用吗？',
		lead: ['Yes, quite a lot.', 'The pressure is real.', 'More every year.'],
		leadFollowUp: 'It has only grown.',
		leadZh: '当然有。',
		codes: ['dischargeStandards', 'totalEmissionControl', 'occupationalHealth', 'energyWater']
	},
	{
		name: 'social',
		q: ['Was there anything else behind these decisions?', 'Were there reasons beyond costs and rules?'],
		qFollowUp: 'Anything more personal behind it?',
		qZh: '还有其他原因吗？',
		lead: ['Perhaps this sounds strange from a factory manager.', 'There is another side, yes.', 'Not everything is about money.'],
		leadFollowUp: 'I suppose there is.',
		leadZh: '也有别的原因。',
		codes: ['personalConcern', 'residentsComplaints', 'socialImage']
	},
	{
		name: 'conditions',
		q: ['What made the work easier or harder for you?', 'What stood in the way, or helped?'],
		qFollowUp: 'What has made it easier or harder since?',
		qZh: '哪些因素让这项工作更容易或者更难？',
		lead: ['Several things.', 'I can name two or three.', 'It depends on the year.'],
		leadFollowUp: 'Not much has changed there.',
		leadZh: '有几个方面。',
		codes: ['resources', 'sectoral']
	},
	{
		name: 'future',
		q: ['How do you see cleaner production in the enterprise from now on?', 'What will stay with the enterprise from all this?'],
		qFollowUp: 'And looking ahead?',
		qZh: '今后企业在清洁生产方面有什么打算？',
		lead: ['Hard to say.', 'Something stays, I think.', 'We will see.'],
		leadFollowUp: 'We will carry on.',
		leadZh: '很难说。',
		codes: ['integratedVaguely', 'componentsIntegrated']
	}
];

const ROLES = [
	'the deputy director for production and environment',
	'the head of the environmental protection office',
	'the chief engineer',
	'the deputy general manager'
];
const ROLES_ZH = ['主管生产和环保的副厂长', '环保科科长', '总工程师'];

/** Uncoded context: who handles environmental matters. */
const ORGANISATION: Template[] = [
	(f) =>
		`There is an environmental protection office with ${f.team - 2} people under the deputy director. They handle the monitoring, the permits and the reports to the EPB, and they chase the workshops when something goes wrong.`,
	() =>
		'The safety and environment department does it, together with the production department. For anything that costs money the decision is made at the weekly management meeting.',
	() =>
		'We have one environmental engineer and a technician in the laboratory who does the water tests. Bigger questions go to the chief engineer.'
];
const ORGANISATION_ZH: Template = (f) => `厂里有一个环保科，${f.team - 2}个人，归副厂长管，负责监测、排污许可和向环保局报材料。`;

/** Uncoded context at the end of a first interview. */
const CLOSING = [
	'Only that the market has been difficult these last years. Prices for our products went down while coal and electricity got more expensive, so everything we do is measured against that.',
	'I think the government should talk more with the enterprises before setting targets. We often hear about a new requirement only when the deadline is already close.',
	'Not really. You can come and see the workshops if you like; the new line is running now, and the workers can tell you more than I can.'
];
const CLOSING_ZH = '这几年市场不太好，产品价格下降，煤和电却越来越贵，所以做什么都要先算经济账。';

/** Uncoded context at the start of a follow-up interview. */
const CHANGES = [
	'Production has grown by about a third, and we built a new workshop last year. The management team is mostly the same as when you came before.',
	'We merged with another company in the city, so the organisation has changed a lot. Some of the people you met have retired or moved on.'
];

interface PlannedSegment {
	code: CodeKey;
	quote: string;
}

interface BuiltDocument {
	name: string;
	sourceName: string;
	text: string;
	planned: PlannedSegment[];
	/** The uncoded lead sentence of each section, for the second coder's extra passages. */
	leads: Map<string, string>;
}

function pick<T>(list: T[], c: CaseDef, tag: string, forced?: number): T {
	if (forced !== undefined) return list[forced % list.length];
	return list[hashNum(`${c.key}:${tag}`) % list.length];
}

function sentenceFor(code: CodeKey, f: Facts): string {
	if (f.c.lang === 'zh') {
		const t = ZH[code];
		if (!t) throw new Error(`${f.c.key}: no Chinese sentence for ${code}`);
		return t(f);
	}
	let list = EN[code];
	if (!list) throw new Error(`${f.c.key}: no sentence for ${code}`);
	// Templates that need a preventive measure are skipped when the enterprise took none.
	if (!f.c.measure && (code === 'productionCost' || code === 'renovationPlans')) list = list.slice(1);
	return pick(list, f.c, code, f.c.variant?.[code])(f);
}

function buildDocument(c: CaseDef, codes: CodeKey[], followUp: boolean): BuiltDocument {
	const f = factsOf(c);
	const zh = c.lang === 'zh';
	const waveOfDoc = followUp ? '2004' : c.wave;
	const interviewer = zh ? '访谈者：' : 'Interviewer: ';
	const respondent = zh ? '受访者：' : 'R: ';
	const lines: string[] = [];
	if (zh) {
		lines.push(
			'【示例文本】本访谈记录是为 Gloss 演示研究编写的，并非真实访谈；企业、人物和引语均为虚构。',
			'(Illustrative transcript written for the Gloss demo study, in Chinese. Not a real interview.)',
			'',
			`${c.city}市企业 ${c.key}，${c.product}，${f.staff}名职工。访谈时间 ${waveOfDoc}。受访者为${pick(ROLES_ZH, c, 'role')}。`,
			''
		);
	} else {
		lines.push(
			'ILLUSTRATIVE TRANSCRIPT, written for the Gloss demo study. This is not a real interview: the enterprise, the people and every quote are invented.',
			'',
			`Enterprise ${c.key} in City ${c.city}, ${c.sector.toLowerCase()} (${c.product}), ${c.size.toLowerCase()}, ${c.ownership.replace(/^(State|Private|Collective|Foreign)/, (m) => m.toLowerCase())}, about ${f.staff.toLocaleString('en-GB')} employees.`,
			`${followUp ? 'Follow-up interview' : 'Interview'}, wave ${waveOfDoc}. The respondent (R) is ${pick(ROLES, c, 'role')}.`,
			''
		);
	}
	const planned: PlannedSegment[] = [];
	const leads = new Map<string, string>();
	if (!followUp) {
		const q = zh ? '请简单介绍一下企业的情况。' : 'Could you briefly describe the enterprise and what it makes?';
		const a = zh
			? `我们厂主要生产${c.product}，现在有${f.staff}名职工。`
			: `We make ${c.product}, and we have about ${f.staff.toLocaleString('en-GB')} people on the payroll.`;
		lines.push(interviewer + q, '', respondent + a, '');
		lines.push(
			interviewer + (zh ? '厂里谁负责环保工作？' : 'Who deals with environmental matters in the enterprise?'),
			'',
			respondent + (zh ? ORGANISATION_ZH : pick(ORGANISATION, c, 'organisation'))(f),
			''
		);
	} else {
		lines.push(
			interviewer + 'What has changed in the enterprise since our last interview?',
			'',
			respondent + pick(CHANGES, c, 'changes'),
			''
		);
	}
	for (const s of SECTIONS) {
		const sentences = s.codes.filter((k) => codes.includes(k)).map((k) => ({ k, text: sentenceFor(k, f) }));
		if (!followUp && s.name === 'contact' && c.response === 'none')
			sentences.unshift({
				k: 'cityActions',
				text: 'We have heard the words cleaner production at meetings, but the city has never asked us for an audit.'
			});
		if (sentences.length === 0) continue;
		const lead = zh ? s.leadZh : followUp ? s.leadFollowUp : pick(s.lead, c, `lead:${s.name}`);
		leads.set(s.name, lead);
		const body = [lead, ...sentences.map((x) => x.text)].join(zh ? '' : ' ');
		const q = followUp ? s.qFollowUp : zh ? s.qZh : pick(s.q, c, `q:${s.name}`);
		lines.push(interviewer + q, '', respondent + body, '');
		for (const x of sentences) if (x.k !== 'cityActions') planned.push({ code: x.k, quote: x.text });
		// The parent code covers the whole answer about the audit (the subcodes sit inside it).
		if (s.name === 'audit' && !followUp && codes.includes('response')) planned.push({ code: 'response', quote: body });
	}
	lines.push(
		interviewer + (zh ? '您还有什么要补充的吗？' : 'Is there anything you would like to add?'),
		'',
		respondent + (zh ? CLOSING_ZH : pick(CLOSING, c, `closing:${followUp}`)),
		'',
		interviewer + (zh ? '谢谢您接受访谈。' : 'Thank you very much for your time.')
	);
	const text = normaliseText(lines.join('\n') + '\n');
	const base = `${c.key} ${c.label}`;
	return {
		name: followUp ? `${base} (follow-up, 2004)` : `${base} (${c.wave})`,
		sourceName: `${c.key}-${waveOfDoc}${followUp ? '-follow-up' : ''}.txt`,
		text,
		planned,
		leads
	};
}

/** A few of the Demo coder's segments carry a memo, as a coder's notes would. */
const SEGMENT_MEMOS: Record<string, string> = {
	'C04:noMeasures': 'Audit study done properly, but no option adopted: money, not knowledge, was missing (see Financial and technical resources).',
	'N04:noMeasures': 'Second B2 enterprise. Production priorities named; compare C04.',
	'S01:auditContinued': 'Only first-wave enterprise continuing the audit on its own. Leadership and external support both present in the first interview.',
	'N08:tokenCompliance': 'Report as paperwork, yet the respondent later says the concept stays "in their heads": token compliance and vague integration together.',
	'C09:totalEmissionControl': 'SO2 total load control, not the Lake Tai COD quotas.'
};

// ------------------------------------------------------------------------ the second coder

interface SecondCoderEdits {
	case: string;
	/** Passages the second coder did not code. */
	miss: CodeKey[];
	/** Passages coded with a different code. */
	swap: [CodeKey, CodeKey][];
	/** Passages whose end runs on into the next sentence (or whose start reaches back to the previous one). */
	longer: CodeKey[];
	/** Passages whose opening words were left out. */
	shorter: CodeKey[];
	/** Uncoded lead sentences (by section) that the second coder coded. */
	extra: [string, CodeKey][];
}

/**
 * Every code the second coder uses on a case is one the Demo coder also gave that case, or one
 * outside the seed's tables, so counting cases over all coders still gives the seed's numbers.
 */
export const SECOND_CODER_EDITS: SecondCoderEdits[] = [
	{ case: 'C01', miss: ['training'], swap: [['totalEmissionControl', 'dischargeStandards']], longer: ['preventive'], shorter: [], extra: [['economic', 'productionCost']] },
	{ case: 'N02', miss: ['factoryVisits', 'productQuality'], swap: [], longer: [], shorter: ['genuineAudit'], extra: [['measures', 'preventive']] },
	{ case: 'S01', miss: ['factoryVisits'], swap: [['abatementCost', 'productionCost']], longer: ['leadership'], shorter: ['internationalMarkets'], extra: [] },
	{ case: 'C06', miss: ['internationalMarkets'], swap: [], longer: [], shorter: ['response'], extra: [['measures', 'endOfPipe']] },
	{ case: 'N11', miss: ['factoryVisits'], swap: [['personalConcern', 'socialImage'], ['componentsIntegrated', 'auditContinued']], longer: ['dischargeStandards'], shorter: [], extra: [['social', 'personalConcern']] },
	{ case: 'S03', miss: ['externalSupport'], swap: [['totalEmissionControl', 'dischargeStandards']], longer: ['preventive'], shorter: [], extra: [['economic', 'productionCost']] }
];

const TERMINATOR = /[.?!。？！]/;

/** Stretch [start, end) over the next sentence on its line, or back over the previous one. */
function lengthen(text: string, start: number, end: number): [number, number] {
	const lineEnd = text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end);
	const after = text.slice(end, lineEnd);
	const m = TERMINATOR.exec(after.replace(/^\s+/, ''));
	if (after.trim() && m) return [start, end + (after.length - after.replace(/^\s+/, '').length) + m.index + 1];
	const lineStart = text.lastIndexOf('\n', start - 1) + 1;
	const before = text.slice(lineStart, start).trimEnd();
	const prev = Math.max(...[...before.slice(0, -1)].map((ch, i) => (TERMINATOR.test(ch) ? i : -1)));
	return [prev >= 0 ? lineStart + prev + 1 + (text[lineStart + prev + 1] === ' ' ? 1 : 0) : lineStart, end];
}

/** Leave out the opening words: up to the first comma, or the first word. */
function shorten(text: string, start: number, end: number): [number, number] {
	const s = text.slice(start, end);
	const comma = s.search(/[,，:：]\s*/);
	if (comma > 0 && comma < s.length / 2) return [start + comma + 1 + (/\s/.test(s[comma + 1]) ? 1 : 0), end];
	const space = s.indexOf(' ');
	return [start + (space > 0 ? space + 1 : 2), end];
}

// ------------------------------------------------------------------------ the study

export interface DemoQuote {
	segmentId: string;
	coder: string;
	code: CodeKey;
	quote: string;
}

export function buildDemo(): { data: StudyData; quotes: DemoQuote[] } {
	const studyId = demoId('study', 'cleaner-production');
	const book = parseCodebook(readFileSync(CODEBOOK_PATH, 'utf8'), 'codebooks/cleaner-production.json');
	if (!book.ok) throw new Error(book.errors.join('\n'));
	const codesResult = codebookToCodes(book.value.codes, studyId, [], { now: at(0) });
	if (!codesResult.ok) throw new Error(codesResult.errors.join('\n'));
	const codes: Code[] = codesResult.value;
	for (const [k, id] of Object.entries(CODE))
		if (!codes.some((c) => c.id === id)) throw new Error(`the codebook has no code ${k} (${id})`);

	const coders: Coder[] = [DEMO_CODER, SECOND_CODER].map((name, i) => ({
		id: demoId('coder', name),
		studyId,
		name,
		createdAt: at(i)
	}));
	const [demoCoder, secondCoder] = coders;

	const attrNames = ['City', 'Sector', 'Size', 'Ownership', 'Wave'] as const;
	// Wave belongs to the interview, not the enterprise: C03's and S01's 2004 follow-ups are 2004.
	const attributes: Attribute[] = attrNames.map((name, order) => ({
		id: demoId('attribute', name),
		studyId,
		name,
		type: 'category',
		order,
		...(name === 'Wave' ? { scope: 'document' as const } : {})
	}));
	const attr = Object.fromEntries(attributes.map((a) => [a.name, a.id])) as Record<(typeof attrNames)[number], string>;

	const cases: Case[] = [];
	const documents: GlossDocument[] = [];
	const segments: Segment[] = [];
	const quotes: DemoQuote[] = [];
	let clock = 60;

	const addSegment = (doc: GlossDocument, coder: Coder, code: CodeKey, start: number, end: number, quote: string, memo = '') => {
		const id = demoId('segment', `${coder.name}:${doc.name}:${code}:${start}:${end}`);
		if (segments.some((s) => s.id === id)) throw new Error(`${doc.name}: ${code} coded twice at ${start}`);
		clock += 37;
		segments.push({
			id,
			studyId,
			documentId: doc.id,
			codeId: CODE[code],
			coderId: coder.id,
			start,
			end,
			memo,
			createdAt: at(clock),
			updatedAt: at(clock)
		});
		quotes.push({ segmentId: id, coder: coder.name, code, quote });
		return id;
	};

	/** Where the quote is in the text: it must occur exactly once. */
	const locate = (doc: GlossDocument, quote: string): [number, number] => {
		const start = doc.text.indexOf(quote);
		if (start < 0) throw new Error(`${doc.name}: quote not found: ${quote}`);
		if (doc.text.indexOf(quote, start + 1) >= 0) throw new Error(`${doc.name}: quote occurs twice: ${quote}`);
		return [start, start + quote.length];
	};

	const mainDocs = new Map<string, { doc: GlossDocument; built: BuiltDocument }>();
	CASES.forEach((c, i) => {
		const caseRow: Case = {
			id: demoId('case', c.key),
			studyId,
			name: `${c.key} ${c.label}`,
			attributes: { [attr.City]: c.city, [attr.Sector]: c.sector, [attr.Size]: c.size, [attr.Ownership]: c.ownership },
			createdAt: at(10 + i),
			updatedAt: at(10 + i)
		};
		cases.push(caseRow);
		const all = [...codesOfCase(c)];
		const later = c.followUp ?? [];
		const parts: [CodeKey[], boolean][] = [[all.filter((k) => !later.includes(k)), false]];
		if (later.length) parts.push([all.filter((k) => later.includes(k)), true]);
		for (const [list, followUp] of parts) {
			const built = buildDocument(c, list, followUp);
			const doc: GlossDocument = {
				id: demoId('document', built.sourceName),
				studyId,
				name: built.name,
				text: built.text,
				caseId: caseRow.id,
				attributes: { [attr.Wave]: followUp ? W2 : c.wave },
				sourceName: built.sourceName,
				order: documents.length,
				createdAt: at(40 + documents.length),
				updatedAt: at(40 + documents.length)
			};
			documents.push(doc);
			if (!followUp) mainDocs.set(c.key, { doc, built });
			for (const p of built.planned) {
				const [start, end] = locate(doc, p.quote);
				addSegment(doc, demoCoder, p.code, start, end, p.quote, SEGMENT_MEMOS[`${c.key}:${p.code}`] ?? '');
			}
			const missing = list.filter((k) => !built.planned.some((p) => p.code === k));
			if (missing.length) throw new Error(`${doc.name}: codes without a passage: ${missing.join(', ')}`);
		}
	});

	for (const e of SECOND_CODER_EDITS) {
		const { doc, built } = mainDocs.get(e.case)!;
		const demoCodes = codesOfCase(CASES.find((c) => c.key === e.case)!);
		for (const k of [...e.miss, ...e.longer, ...e.shorter, ...e.swap.map((s) => s[0])])
			if (!built.planned.some((p) => p.code === k)) throw new Error(`${e.case}: the second coder edits ${k}, which is not coded there`);
		for (const p of built.planned) {
			if (e.miss.includes(p.code)) continue;
			let [start, end] = locate(doc, p.quote);
			if (e.longer.includes(p.code)) [start, end] = lengthen(doc.text, start, end);
			if (e.shorter.includes(p.code)) [start, end] = shorten(doc.text, start, end);
			const code = e.swap.find((s) => s[0] === p.code)?.[1] ?? p.code;
			if (!demoCodes.has(code)) throw new Error(`${e.case}: the second coder's ${code} would change the case counts`);
			addSegment(doc, secondCoder, code, start, end, doc.text.slice(start, end));
		}
		for (const [section, code] of e.extra) {
			const lead = built.leads.get(section);
			if (!lead) throw new Error(`${e.case}: no section ${section}`);
			if (!demoCodes.has(code)) throw new Error(`${e.case}: the second coder's ${code} would change the case counts`);
			const at0 = doc.text.indexOf(`${doc.text.includes('受访者：') ? '受访者：' : 'R: '}${lead}`);
			if (at0 < 0) throw new Error(`${e.case}: lead of ${section} not found`);
			const start = doc.text.indexOf(lead, at0);
			addSegment(doc, secondCoder, code, start, start + lead.length, lead);
		}
	}

	const memos: Memo[] = [
		{
			id: demoId('memo', 'study'),
			studyId,
			targetType: 'study',
			targetId: null,
			title: 'About this demo study',
			text:
				'An illustrative study for trying Gloss. The 30 enterprises, their transcripts and every quote were written for the demo; none is a real interview. ' +
				"The coding by \"Demo coder\" reproduces two tables of a published study of cleaner production (CP) audits in three Jiangsu cities: the reasons cited for adopting CP measures, and the CP audits by city. Count cases per code for the coder \"Demo coder\" to see them (static/demo/README.md lists the numbers). " +
				'"Second coder" coded six transcripts (C01, N02, S01, C06, N11, S03) for the agreement review.',
			coderId: null,
			createdAt: at(5),
			updatedAt: at(5)
		},
		{
			id: demoId('memo', 'continued'),
			studyId,
			targetType: 'code',
			targetId: CODE.auditContinued,
			title: 'What the continuing enterprises share',
			text: 'All seven enterprises that continued CP audits on their own also show leadership commitment and external technical support during the audit study (compare the codes Leadership commitment and External technical support).',
			coderId: demoCoder.id,
			createdAt: at(6),
			updatedAt: at(6)
		}
	];

	const data: StudyData = {
		study: {
			id: studyId,
			name: 'Cleaner Production in Jiangsu (demo)',
			description:
				'Illustrative demo study: 30 enterprises in cities C, N and S interviewed about cleaner production audits. Transcripts are invented for the demo, not real interviews.',
			createdAt: at(0),
			updatedAt: at(0)
		},
		coders,
		attributes,
		cases,
		documents,
		codes,
		segments,
		memos
	};
	checkCounts(data);
	return { data, quotes };
}

// ------------------------------------------------------------------------ checking

/** Cases with a segment of `codeId` (or, with `rollup`, of any code below it), by the given coders. */
export function casesWithCode(data: StudyData, codeId: string, opts: { coders?: string[]; rollup?: boolean } = {}): Set<string> {
	const ids = new Set([codeId, ...(opts.rollup ? descendants(data.codes, codeId) : [])]);
	const coderIds = opts.coders ? new Set(data.coders.filter((c) => opts.coders!.includes(c.name)).map((c) => c.id)) : null;
	const caseOf = new Map(data.documents.map((d) => [d.id, d.caseId]));
	const out = new Set<string>();
	for (const s of data.segments) {
		if (!ids.has(s.codeId) || (coderIds && !coderIds.has(s.coderId))) continue;
		const c = caseOf.get(s.documentId);
		if (c) out.add(c);
	}
	return out;
}

function checkCounts(data: StudyData): void {
	const problems: string[] = [];
	const cityAttr = data.attributes.find((a) => a.name === 'City')!.id;
	const cityOf = new Map(data.cases.map((c) => [c.id, c.attributes[cityAttr]]));
	for (const coders of [[DEMO_CODER], undefined]) {
		const who = coders ? DEMO_CODER : 'all coders';
		for (const [k, n] of EXPECTED_REASONS) {
			const got = casesWithCode(data, CODE[k], { coders }).size;
			if (got !== n) problems.push(`${who}: ${k}: ${got} cases, expected ${n}`);
		}
		for (const [city, want] of Object.entries(EXPECTED_AUDITS)) {
			const count = (code: string) => [...casesWithCode(data, code, { coders, rollup: true })].filter((c) => cityOf.get(c) === city).length;
			const got = { audited: count(CODE.response), genuine: count(CODE.genuineAudit), continued: count(CODE.auditContinued) };
			if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${who}: city ${city}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
		}
	}
	if (problems.length) throw new Error(`the demo does not reproduce the seed's tables:\n${problems.join('\n')}`);
}

export function demoJson(): string {
	return backupToJson(buildDemo().data, EXPORTED_AT) + '\n';
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
	const json = demoJson();
	mkdirSync(dirname(DEMO_PATH), { recursive: true });
	writeFileSync(DEMO_PATH, json);
	const data = JSON.parse(json) as StudyData;
	console.log(
		`wrote ${DEMO_PATH}: ${data.cases.length} cases, ${data.documents.length} documents, ${data.codes.length} codes, ${data.segments.length} segments (${Math.round(json.length / 1024)} KB)`
	);
}
