// Calendars: French public holidays (computed), local dates, and the slots a counter's weekly
// opening hours give over a range of days, skipping holidays and closures. Pure functions.
// Dates are 'YYYY-MM-DD' strings (local, Europe/Paris); times 'HH:MM' or 'HH:MM:SS'.

/** Easter Sunday (Gregorian computus, anonymous algorithm of Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

function isoDate(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Adds days to a 'YYYY-MM-DD' date. */
export function addDays(date: string, days: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** ISO weekday of a 'YYYY-MM-DD' date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Monday of the ISO week of a date. */
export function weekStart(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/** The eleven French public holidays (metropolitan, outside Alsace-Moselle) of a year, by date. */
export function frenchPublicHolidays(year: number): Map<string, string> {
  const easter = easterSunday(year);
  return new Map<string, string>([
    [isoDate(year, 1, 1), "Jour de l'an"],
    [addDays(easter, 1), 'Lundi de Pâques'],
    [isoDate(year, 5, 1), 'Fête du Travail'],
    [isoDate(year, 5, 8), 'Victoire 1945'],
    [addDays(easter, 39), 'Ascension'],
    [addDays(easter, 50), 'Lundi de Pentecôte'],
    [isoDate(year, 7, 14), 'Fête nationale'],
    [isoDate(year, 8, 15), 'Assomption'],
    [isoDate(year, 11, 1), 'Toussaint'],
    [isoDate(year, 11, 11), 'Armistice 1918'],
    [isoDate(year, 12, 25), 'Noël'],
  ]);
}

export function isPublicHoliday(date: string): boolean {
  return frenchPublicHolidays(Number(date.slice(0, 4))).has(date);
}

/** Today's date in a time zone. */
export function localDate(at: Date, timeZone = 'Europe/Paris'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function timeOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export interface CounterCalendar {
  id: string;
  siteId: string;
  slotMinutes: number;
  agents: number;
  hours: { weekday: number; start: string; end: string }[];
}

export interface Closure {
  siteId: string | null;
  counterId: string | null;
  startsOn: string;
  endsOn: string;
}

export function isClosed(counter: Pick<CounterCalendar, 'id' | 'siteId'>, date: string, closures: Closure[]): boolean {
  if (isPublicHoliday(date)) return true;
  return closures.some(
    (c) =>
      c.startsOn <= date &&
      date <= c.endsOn &&
      (c.counterId ? c.counterId === counter.id : c.siteId ? c.siteId === counter.siteId : true),
  );
}

export interface LocalSlot {
  counterId: string;
  date: string;
  /** 'HH:MM' local times. */
  start: string;
  end: string;
  capacity: number;
}

/** Slots of a counter from `from` for `days` days: whole slots inside each opening period. */
export function counterSlots(counter: CounterCalendar, from: string, days: number, closures: Closure[]): LocalSlot[] {
  const out: LocalSlot[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(from, i);
    const wd = isoWeekday(date);
    const periods = counter.hours.filter((h) => h.weekday === wd);
    if (!periods.length || isClosed(counter, date, closures)) continue;
    for (const p of periods) {
      const end = minutesOf(p.end);
      for (let m = minutesOf(p.start); m + counter.slotMinutes <= end; m += counter.slotMinutes) {
        out.push({ counterId: counter.id, date, start: timeOf(m), end: timeOf(m + counter.slotMinutes), capacity: counter.agents });
      }
    }
  }
  return out;
}

/** Seats a week of opening hours gives, holidays aside. */
export function weeklySeats(counter: Pick<CounterCalendar, 'slotMinutes' | 'agents' | 'hours'>): number {
  let slots = 0;
  for (const p of counter.hours) slots += Math.max(0, Math.floor((minutesOf(p.end) - minutesOf(p.start)) / counter.slotMinutes));
  return slots * counter.agents;
}

/** Seats over `days` days from `from`, holidays and closures skipped. */
export function seatsOver(counter: CounterCalendar, from: string, days: number, closures: Closure[]): number {
  return counterSlots(counter, from, days, closures).reduce((n, s) => n + s.capacity, 0);
}
