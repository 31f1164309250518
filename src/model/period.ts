/** A period as people write it: "2023" for one year, "2019–2023" for several. */
export const periodText = ([from, to]: readonly [number, number]): string => (from === to ? String(from) : `${from}–${to}`);
