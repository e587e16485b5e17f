import assert from 'node:assert/strict';
import { test } from 'node:test';
import { counterSlots, easterSunday, frenchPublicHolidays, isoWeekday, seatsOver, weeklySeats } from '../../src/modules/appointments/calendar';
import { HERAULT_COUNTERS } from '../../src/modules/appointments/seed-appointments';

test('Easter by the computus matches known dates', () => {
  const known: Record<number, string> = { 2000: '2000-04-23', 2008: '2008-03-23', 2019: '2019-04-21', 2024: '2024-03-31', 2025: '2025-04-20', 2026: '2026-04-05', 2038: '2038-04-25' };
  for (const [y, d] of Object.entries(known)) assert.equal(easterSunday(Number(y)), d, `Easter ${y}`);
});

test('French public holidays: fixed days and the Easter-based Monday, Ascension and Whit Monday', () => {
  const h = frenchPublicHolidays(2025);
  assert.equal(h.size, 11);
  for (const d of ['2025-01-01', '2025-04-21', '2025-05-01', '2025-05-08', '2025-05-29', '2025-06-09', '2025-07-14', '2025-08-15', '2025-11-01', '2025-11-11', '2025-12-25']) {
    assert.ok(h.has(d), d);
  }
  assert.equal(h.get('2025-05-29'), 'Ascension');
  assert.ok(frenchPublicHolidays(2024).has('2024-05-20'), 'Whit Monday 2024');
});

test('slots follow the weekly hours and skip public holidays and closures', () => {
  const counter = { id: 'c1', siteId: 's1', slotMinutes: 20, agents: 3, hours: [{ weekday: 1, start: '09:00', end: '10:10' }] };
  // Mondays of April 2025: 7, 14, 21 (Easter Monday), 28.
  const slots = counterSlots(counter, '2025-04-01', 30, [{ siteId: 's1', counterId: null, startsOn: '2025-04-28', endsOn: '2025-04-28' }]);
  assert.deepEqual([...new Set(slots.map((s) => s.date))], ['2025-04-07', '2025-04-14']);
  assert.deepEqual(slots.filter((s) => s.date === '2025-04-07').map((s) => s.start), ['09:00', '09:20', '09:40']);
  assert.ok(slots.every((s) => s.capacity === 3 && isoWeekday(s.date) === 1));
  // Another site's closure does not apply.
  assert.equal(counterSlots(counter, '2025-04-28', 1, [{ siteId: 's2', counterId: null, startsOn: '2025-04-28', endsOn: '2025-04-28' }]).length, 3);
});

test('the Hérault demo gives about 15,000 seats a year outside the students counter', () => {
  let outside = 0;
  for (const c of HERAULT_COUNTERS) {
    const cal = { id: c.code, siteId: c.site, slotMinutes: c.slotMinutes, agents: c.agents, hours: c.hours.map(([weekday, start, end]) => ({ weekday, start, end })) };
    assert.ok(weeklySeats(cal) > 0);
    if (c.type !== 'students') outside += seatsOver(cal, '2026-01-01', 365, []);
  }
  assert.ok(outside >= 14_500 && outside <= 15_500, `${outside}`);
});
