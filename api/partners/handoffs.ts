import type { Principal } from '../auth/principal';
import type { ApiCore } from '../context';
import { NotFoundError } from '../errors';
import { taskIdParam } from '../tasks/schemas';
import type { TaskService } from '../tasks/service';

/**
 * Handoffs seen from the partner's side: the open `handoff_acknowledgement` tasks of its
 * organisation (the task inbox's own scope rule), acknowledged through the inbox's completion
 * (the same Update as POST /api/households/:id/handoff/acknowledgements).
 */
export function createHandoffs({ db }: Pick<ApiCore, 'db'>, tasks: TaskService) {
  return {
    async listOpen(principal: Principal, requestId: string) {
      const { tasks: open } = await tasks.list({ view: 'all', type: 'handoff_acknowledgement', limit: 200, offset: 0 }, principal, { requestId });
      return open;
    },

    /** Only a handoff: any other task (or an unknown id) is 404; the task's scope is checked by the task service. */
    async acknowledge(taskId: string, principal: Principal, requestId: string) {
      const id = taskIdParam.safeParse(taskId);
      if (!id.success) throw new NotFoundError('Passage de relais introuvable.');
      const task = await db.task.findUnique({ where: { id: id.data }, select: { type: true } });
      if (task?.type !== 'handoff_acknowledgement') throw new NotFoundError('Passage de relais introuvable.');
      return tasks.complete(id.data, {}, principal, { requestId });
    },
  };
}

export type Handoffs = ReturnType<typeof createHandoffs>;
