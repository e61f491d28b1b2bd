#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#define N (1<<24)
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int c, char**v){ long n = c>1? atol(v[1]) : N; float*a=malloc(4*n); float*p=malloc(4*(n/512+1));
 for(long i=0;i<n;i++)a[i]=(i%1000)*0.5f;
 double best[50]; for(int r=0;r<50;r++){double t0=now();
  for(long b=0;b<n/512;b++){float s=0;
   #pragma omp simd reduction(+:s)
   for(long i=b*512;i<(b+1)*512;i++)s+=a[i]; p[b]=s;}
  best[r]=(now()-t0)/(n/512)*1e9;}
 double m=1e9; for(int r=5;r<50;r++) if(best[r]<m)m=best[r];
 double s2=0; for (int r=5;r<50;r++) s2+=best[r];
 printf("n=%ld MB=%ld min %.1f mean %.1f ns/block %f\n",n,n*4>>20,m,s2/45,p[3]);}
