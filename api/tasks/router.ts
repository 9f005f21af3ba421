import { Router } from 'express';
import type { ApiContext } from '../context';

export function tasksRouter(_ctx: ApiContext): Router {
  return Router();
}
