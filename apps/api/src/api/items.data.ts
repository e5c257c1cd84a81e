/** A fixed catalogue of 12 items: the body of /api/items serialises to about 1 KB. */
export interface Item {
  id: number;
  name: string;
  priceCents: number;
  tags: string[];
}

const NAMES = [
  'anchor',
  'bellows',
  'compass',
  'dynamo',
  'easel',
  'funnel',
  'gimbal',
  'hinge',
  'inkwell',
  'jigsaw',
  'kettle',
  'lantern',
];

export const ITEMS: readonly Item[] = Object.freeze(
  NAMES.map((name, i) => ({
    id: i + 1,
    name: `${name} (model ${i + 1})`,
    priceCents: 1250 + i * 375,
    tags: ['catalogue', i % 2 ? 'odd' : 'even'],
  })),
);
