import { Router } from 'express';
import type { ApiContext } from '../context';

export function partnersRouter(_ctx: ApiContext): Router {
  return Router();
}
