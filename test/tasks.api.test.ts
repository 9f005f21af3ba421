/**
 * The task inbox through HTTP, as each role uses it. Households are driven along the process by
 * the household routes (processDriver); the inbox then has to show, hand out and complete the
 * tasks the workflow opened, and the workflow has to move on. The committee's tasks, who may use
 * the inbox, and after support: tasks-roles.api.test.ts.
 */
import { DEMO_EDUCATOR } from '../lib/reference-data';
import { useHarness } from './support/harness';
import { processDriver } from './support/process';
import { taskApi, taskPolicy } from './support/tasks';

const h = useHarness({ policy: taskPolicy });
const d = processDriver(h);
const { api, openTaskOf, listIds, eventsOf } = taskApi(h);
const educatorName = DEMO_EDUCATOR.displayName;

describe('educators: lists, claims and contact attempts', () => {
  test('mine / team / overdue / filters, claim, complete two attempts, and the household moves on to support', async () => {
    const id = await d.refer({ headName: 'Mme Inès Boîte' });
    await d.admit(id);
    const first = await openTaskOf(id, 'contact_attempt');
    // The workflow gave the attempt to the household's educator.
    expect(first.assigneeId).toBe(h.as.educator.id);

    // Mine: the educator sees it, with its household, label and assignee.
    const mine = await api('educator', 'GET', `/api/tasks?view=mine&householdId=${id}`);
    expect(mine.status).toBe(200);
    const item = mine.body.tasks.find((t: { id: string }) => t.id === first.id);
    expect(item).toMatchObject({
      type: 'contact_attempt',
      label: expect.stringContaining('contact'),
      household: { id, headName: 'Mme Inès Boîte', phase: 'contact' },
      candidateRole: 'educator',
      assignee: { id: h.as.educator.id, displayName: educatorName },
      status: 'open',
      form: { suggestedSlot: expect.any(String) },
      result: null,
    });
    expect(mine.body.page).toMatchObject({ limit: 50, offset: 0 });
    // Listing names is a read of personal data: one audit row for this household, this request.
    const audit = await h.db.auditEvent.findMany({ where: { requestId: mine.headers.get('x-request-id')!, action: 'task.list', householdId: id, actor: h.as.educator.id } });
    expect(audit).toEqual([expect.objectContaining({ details: { view: 'mine' } })]);
    // Written in one SQL statement: its time is UTC like every row Prisma writes.
    expect(Math.abs(audit[0]!.at.getTime() - Date.now())).toBeLessThan(60_000);

    // Filters: type and phase narrow, a wrong phase empties; the second educator's "mine" has none of it.
    expect(await listIds('educator', `view=mine&householdId=${id}&type=contact_attempt&phase=contact`)).toEqual([first.id]);
    expect(await listIds('educator', `view=mine&householdId=${id}&phase=support`)).toEqual([]);
    expect(await listIds('educator2', `view=mine&householdId=${id}`)).toEqual([]);
    // Team: a task the workflow gave to someone else is not in the second educator's pool, though in scope.
    expect(await listIds('educator2', `view=team&householdId=${id}`)).not.toContain(first.id);
    expect(await listIds('educator2', `view=all&householdId=${id}`)).toContain(first.id);

    // Overdue: due "now" when requested, so already past; pushed to tomorrow it is not overdue.
    const overdue = await api('educator', 'GET', `/api/tasks?view=overdue&householdId=${id}&type=contact_attempt`);
    expect(overdue.body.tasks.map((t: { id: string; overdue: boolean }) => [t.id, t.overdue])).toEqual([[first.id, true]]);
    await h.db.task.update({ where: { id: first.id }, data: { dueAt: new Date(Date.now() + 86_400_000) } });
    expect(await listIds('educator', `view=overdue&householdId=${id}&type=contact_attempt`)).toEqual([]);
    const later = await api('educator', 'GET', `/api/tasks?view=mine&householdId=${id}&type=contact_attempt`);
    expect(later.body.tasks[0]).toMatchObject({ id: first.id, overdue: false });

    // Someone else's task: 409 naming who has it. The educator claims it; claiming again is a no-op.
    const stolen = await api('educator2', 'POST', `/api/tasks/${first.id}/claim`);
    expect(stolen.status).toBe(409);
    expect(stolen.body.message).toContain(educatorName);
    const claimed = await api('educator', 'POST', `/api/tasks/${first.id}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ id: first.id, status: 'claimed', assignee: { id: h.as.educator.id } });
    const again = await api('educator', 'POST', `/api/tasks/${first.id}/claim`);
    expect(again.status).toBe(200);
    expect(again.body.claimedAt).toBe(claimed.body.claimedAt);
    expect((await eventsOf(first.id)).map((e) => e.action)).toEqual(['claimed']);
    // Claimed by the educator: the second educator cannot complete it either.
    const notTheirs = await api('educator2', 'POST', `/api/tasks/${first.id}/complete`, { slot: 'evening', channel: 'home_visit', outcome: 'absent' });
    expect(notTheirs.status).toBe(409);
    expect(notTheirs.body.message).toContain(educatorName);

    // First attempt: nobody home. The task closes with its result, the note goes to the case file.
    const done = await api('educator', 'POST', `/api/tasks/${first.id}/complete`, { slot: 'evening', channel: 'home_visit', outcome: 'absent', note: 'Volets fermés, avis de passage laissé.' });
    expect(done.status).toBe(200);
    expect(done.body.task).toMatchObject({ id: first.id, status: 'completed', result: { slot: 'evening', channel: 'home_visit', outcome: 'absent', noteRef: expect.any(String) } });
    expect(done.body.workflow.state.contact.attempts).toHaveLength(1);
    const note = await h.db.note.findUniqueOrThrow({ where: { id: done.body.task.result.noteRef } });
    expect(note).toMatchObject({ householdId: id, kind: 'contact_attempt', body: 'Volets fermés, avis de passage laissé.', author: h.as.educator.id });
    // Completed: nobody claims it again.
    expect((await api('educator', 'POST', `/api/tasks/${first.id}/claim`)).status).toBe(409);

    // The workflow asks for the next attempt; the educator completes it without claiming first.
    const second = await openTaskOf(id, 'contact_attempt');
    expect(second.id).not.toBe(first.id);
    const reached = await api('educator', 'POST', `/api/tasks/${second.id}/complete`, { slot: 'weekday', channel: 'phone', outcome: 'contact_made' });
    expect(reached.status).toBe(200);
    expect(reached.body.workflow.state.phase).toBe('support');
    await d.waitForPhase(id, 'support');
    const closed = await h.db.task.findUniqueOrThrow({ where: { id: second.id } });
    expect(closed).toMatchObject({ status: 'completed', assigneeId: h.as.educator.id, result: { outcome: 'contact_made' } });

    // History: created, then the automatic claim and the completion, each with who.
    const history = await api('educator', 'GET', `/api/tasks/${second.id}`);
    expect(history.status).toBe(200);
    expect(history.body.history.map((e: { action: string; actor: { id: string } | null }) => [e.action, e.actor?.id ?? null])).toEqual([
      ['created', null], ['claimed', h.as.educator.id], ['completed', h.as.educator.id],
    ]);
    expect(history.body.history[1]).toMatchObject({ details: { automatic: true }, actor: { displayName: educatorName } });
    const firstHistory = await api('educator2', 'GET', `/api/tasks/${first.id}`);
    expect(firstHistory.body.history.map((e: { action: string }) => e.action)).toEqual(['created', 'claimed', 'completed']);
    expect(await h.db.auditEvent.count({ where: { requestId: history.headers.get('x-request-id')!, action: 'task.read', householdId: id } })).toBe(1);
  });

  test('two educators claiming or completing at once: exactly one wins, the workflow records one attempt', async () => {
    const id = await d.refer();
    await d.admit(id);
    const task = await openTaskOf(id, 'contact_attempt');

    // The coordination hands the educator's attempt back to the team: open, nobody assigned.
    const released = await api('coordinator', 'POST', `/api/tasks/${task.id}/unclaim`);
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'open', assignee: null });
    expect(await listIds('educator2', `view=team&householdId=${id}`)).toContain(task.id);

    const claims = await Promise.all([
      api('educator', 'POST', `/api/tasks/${task.id}/claim`),
      api('educator2', 'POST', `/api/tasks/${task.id}/claim`),
    ]);
    expect(claims.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = claims[0]!.status === 200 ? 'educator' : 'educator2';
    const loser = winner === 'educator' ? 'educator2' : 'educator';
    expect((await h.db.task.findUniqueOrThrow({ where: { id: task.id } })).assigneeId).toBe(h.as[winner].id);
    expect((await eventsOf(task.id)).filter((e) => e.action === 'claimed')).toHaveLength(1);

    // Only the holder (or the coordination) releases it.
    const notHolder = await api(loser, 'POST', `/api/tasks/${task.id}/unclaim`);
    expect(notHolder.status).toBe(409);
    expect((await api(winner, 'POST', `/api/tasks/${task.id}/unclaim`)).body).toMatchObject({ status: 'open', assignee: null });

    // Open again: both complete it at once. One attempt reaches the workflow, the other gets 409.
    const attempt = { slot: 'weekend', channel: 'home_visit', outcome: 'absent' };
    const completions = await Promise.all([
      api('educator', 'POST', `/api/tasks/${task.id}/complete`, attempt),
      api('educator2', 'POST', `/api/tasks/${task.id}/complete`, attempt),
    ]);
    expect(completions.map((r) => r.status).sort()).toEqual([200, 409]);
    const state = (await d.view(id)).workflow.state;
    expect(state.contact.attempts).toHaveLength(1);

    const history = await api('coordinator', 'GET', `/api/tasks/${task.id}`);
    expect(history.body.history.map((e: { action: string }) => e.action)).toEqual(['created', 'unclaimed', 'claimed', 'unclaimed', 'claimed', 'completed']);
  });

  test('invalid forms: 400 naming each field, and nothing changes', async () => {
    const id = await d.refer();
    await d.admit(id);
    const task = await openTaskOf(id, 'contact_attempt');
    const rowBefore = await h.db.task.findUniqueOrThrow({ where: { id: task.id } });
    const notesBefore = await h.db.note.count({ where: { householdId: id } });

    const wrong = await api('educator', 'POST', `/api/tasks/${task.id}/complete`, { slot: 'midnight', channel: 'home_visit', note: '' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('validation_error');
    const fields = (wrong.body.details as { field: string; message: string }[]).map((x) => x.field);
    expect(fields).toEqual(expect.arrayContaining(['slot', 'outcome', 'note']));
    // French messages people can act on (zod's French locale).
    expect(wrong.body.details.find((x: { field: string }) => x.field === 'slot').message).toMatch(/attendue/);
    expect(wrong.body.details.find((x: { field: string }) => x.field === 'note').message).toBe('ne doit pas être vide');
    const unknownField = await api('educator', 'POST', `/api/tasks/${task.id}/complete`, { slot: 'evening', channel: 'home_visit', outcome: 'absent', extra: 1 });
    expect(unknownField.status).toBe(400);
    expect((await api('educator', 'POST', `/api/tasks/${task.id}/complete`, 'slot=evening', { 'content-type': 'text/plain' })).status).toBe(400);
    expect((await api('educator', 'POST', `/api/tasks/${task.id}/complete`, '{"slot":', {})).status).toBe(400);
    // A bad query is a 400 too; a malformed id names no task.
    const badQuery = await api('educator', 'GET', '/api/tasks?view=everything&limit=0&color=red');
    expect(badQuery.status).toBe(400);
    expect((badQuery.body.details as { field: string }[]).map((x) => x.field)).toEqual(expect.arrayContaining(['view', 'limit']));
    expect((await api('educator', 'GET', '/api/tasks/not-a-uuid')).status).toBe(404);

    expect(await h.db.task.findUniqueOrThrow({ where: { id: task.id } })).toEqual(rowBefore);
    expect(await eventsOf(task.id)).toEqual([]);
    expect(await h.db.note.count({ where: { householdId: id } })).toBe(notesBefore);
    expect((await d.view(id)).workflow.state.contact.attempts).toHaveLength(0);
  });
});
