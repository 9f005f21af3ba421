import { Router } from 'express';
import type { ApiContext } from '../context';

export function adminRouter(_ctx: ApiContext): Router {
  return Router();
}
