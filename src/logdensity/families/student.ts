/**
 * Student-t in tfjs ops (models/families/student.ts), identity or log link, u = (log σ, log(ν − 1)):
 * rows −(ν+1)/2 · log(1 + r²/(νσ²)); constant −n·½ log π; the parameter-only terms come from the float64 family.
 */
import { tf } from '../tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import type { FamilyColumns, TfjsFamily } from './types.js';

export const studentTfjs: TfjsFamily = (link, { y, row }) => {
  if (link !== 'identity' && link !== 'log') throw new Error(`no likelihood for student/${link}`);
  const yT = row(y);
  return {
    constant: -y.length * 0.5 * Math.log(Math.PI),
    evaluate: (eta, u) => {
      const U = u as FamilyColumns;
      const s2 = tf.exp(tf.mul(U[0], 2));
      const nm1 = tf.exp(U[1]);
      const nu = tf.add(nm1, 1);
      const nu1 = tf.add(nu, 1);
      const mu = link === 'log' ? tf.exp(eta) : eta;
      const r = tf.sub(yT, mu);
      const r2 = tf.square(r);
      const ns2 = tf.mul(nu, s2);
      const d = tf.add(ns2, r2);
      const lw = tf.log1p(tf.div(r2, ns2));
      const dmu = tf.div(tf.mul(nu1, r), d);
      const q = tf.div(tf.mul(nu1, r2), d); // (ν+1) r² / (νσ² + r²)
      const rows = tf.mul(tf.mul(nu1, lw), -0.5);
      const gNu = tf.mul(nm1, tf.sub(tf.div(q, tf.mul(nu, 2)), tf.mul(lw, 0.5)));
      return { rows, g: link === 'log' ? tf.mul(dmu, mu) : dmu, perChain: null, gRowsPar: [q, gNu], gPerChainPar: null };
    },
  };
};
